package io.kdpipe.common.lang;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void shouldPassWhenEveryValueIsPresent() {
        assertThatCode(() -> Arguments.requireNonNull("zone", ZoneId.of("UTC"), "name", "x")).doesNotThrowAnyException();
    }

    @Test
    void shouldNameTheFirstMissingValue() {
        assertThatThrownBy(() -> Arguments.requireNonNull("zone", ZoneId.of("UTC"), "clock", null, "name", null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("clock");
    }

    @Test
    void shouldRefuseArgumentsThatAreNotNameAndValuePairs() {
        assertThatThrownBy(() -> Arguments.requireNonNull("zone", ZoneId.of("UTC"), "clock"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Arguments.requireNonNull(ZoneId.of("UTC"), "zone"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

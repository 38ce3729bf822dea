package io.kdpipe.common.lang;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class NamesByPositionTest {

    @Test
    void shouldMakeAValueOncePerNameWhereverTheNameStands() {
        List<String> made = new ArrayList<>();
        NamesByPosition<String> names = new NamesByPosition<>(name -> {
            made.add(name);
            return "<" + name + ">";
        }, 16);
        String a = "FName";
        String b = "FNumber";

        assertThat(names.get(0, a)).isEqualTo("<FName>");
        assertThat(names.get(1, b)).isEqualTo("<FNumber>");
        // the same strings at their positions, then shifted by one, then an equal string that is another object
        assertThat(names.get(0, a)).isEqualTo("<FName>");
        assertThat(names.get(1, a)).isEqualTo("<FName>");
        assertThat(names.get(2, b)).isEqualTo("<FNumber>");
        assertThat(names.get(1, new String("FNumber".toCharArray()))).isEqualTo("<FNumber>");
        // positions beyond the remembered ones still get the name's value
        assertThat(names.get(NamesByPosition.POSITIONS + 5, a)).isEqualTo("<FName>");

        assertThat(made).containsExactly("FName", "FNumber");
    }

    @Test
    void shouldRememberAtMostTheBoundOfNamesAndStillAnswerForOthers() {
        List<String> made = new ArrayList<>();
        NamesByPosition<String> names = new NamesByPosition<>(name -> {
            made.add(name);
            return name.toUpperCase();
        }, 2);

        for (int round = 0; round < 2; round++) {
            for (String name : List.of("a", "b", "c")) {
                // a position beyond the remembered ones: only the bounded map remembers
                assertThat(names.get(-1, name)).isEqualTo(name.toUpperCase());
            }
        }

        assertThat(made).containsExactly("a", "b", "c", "c");
    }
}

package io.kdpipe.transformer.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class WatchedValuesTest {

    @Test
    void shouldBehaveAsASortedMapOfTheSameEntries() {
        SplittableRandom random = new SplittableRandom(612);
        String[] pool = {"FADDRESS", "FName", "FNumber", "FSELLER_FNumber", "FTEL", "FShortName", "FGroup_FNumber"};
        for (int round = 0; round < 2_000; round++) {
            Map<String, String> expected = new HashMap<>();
            for (String name : pool) {
                if (random.nextBoolean()) {
                    expected.put(name, random.nextInt(4) == 0 ? null : "v" + random.nextInt(3));
                }
            }
            WatchedValues watched = WatchedValues.copyOf(expected);

            assertThat(watched).isEqualTo(expected).hasSameHashCodeAs(expected);
            assertThat(expected).isEqualTo(watched);
            assertThat(List.copyOf(watched.keySet())).isEqualTo(List.copyOf(new TreeMap<>(expected).keySet()));
            for (String name : pool) {
                assertThat(watched.containsKey(name)).as(name).isEqualTo(expected.containsKey(name));
                assertThat(watched.get(name)).as(name).isEqualTo(expected.get(name));
            }
            // another of the same names: compared by their values only, and still equal to a map of different names only when it is one
            Map<String, String> other = new HashMap<>(expected);
            other.replaceAll((name, value) -> random.nextBoolean() ? value : "w");
            assertThat(WatchedValues.copyOf(other).equals(watched)).isEqualTo(other.equals(expected));
            Map<String, String> more = new HashMap<>(expected);
            more.put("FZZZ", null);
            assertThat(WatchedValues.copyOf(more)).isNotEqualTo(watched);
        }
    }

    @Test
    void shouldShareTheNamesOfEveryStateWithTheSameWatchList() {
        String[] names = WatchedValues.names(List.of("FTEL", "FName", "FName", "FADDRESS"));

        assertThat(names).containsExactly("FADDRESS", "FName", "FTEL");
        assertThat(WatchedValues.names(List.of("FName", "FTEL", "FADDRESS"))).isSameAs(names);
        assertThat(WatchedValues.of(new String[] {"FADDRESS", "FName", "FTEL"}, new String[] {"a", null, "c"}))
                .isEqualTo(WatchedValues.of(names, new String[] {"a", null, "c"}))
                .isNotEqualTo(WatchedValues.of(names, new String[] {"a", "b", "c"}));
    }

    @Test
    void shouldRefuseNamesOutOfOrderOrValuesThatDoNotMatchThem() {
        assertThatThrownBy(() -> WatchedValues.of(new String[] {"FTEL", "FName"}, new String[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of order");
        assertThatThrownBy(() -> WatchedValues.of(new String[] {"FName", "FName"}, new String[2]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WatchedValues.of(new String[] {"FName"}, new String[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 names but 2 values");
    }
}

package io.kdpipe.extractor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

import io.kdpipe.common.contract.Checkpoint;
import org.junit.jupiter.api.Test;

class PublishedVersionsTest {

    private static final LocalDateTime T = LocalDateTime.of(2024, 4, 11, 23, 52, 2, 583_000_000);

    @Test
    void shouldListWholeTimestampsNewestFirstAndCountOlderOnesAsPublishedAfterARestart() {
        PublishedVersions v = new PublishedVersions();
        for (int i = 0; i < 5; i++) {
            v.add("bulk-" + i, T);
        }
        v.add("a", T.plusSeconds(1));
        v.add("b", T.plusSeconds(2));

        PublishedVersions.Listed listed = v.listed(3);
        assertThat(listed.keys()).containsExactly("b@" + T.plusSeconds(2), "a@" + T.plusSeconds(1));
        assertThat(listed.from()).isEqualTo(T.plusNanos(1));
        assertThat(v.listed(10).from()).isNull();

        PublishedVersions restored = PublishedVersions.of(new Checkpoint(Checkpoint.VERSION, "job", true, null, T.plusSeconds(2),
                listed.keys(), 7, Instant.EPOCH, "b", listed.from()));
        assertThat(restored.contains("bulk-3", T)).isTrue();
        assertThat(restored.contains("other", T)).as("at a timestamp not listed: counted as published").isTrue();
        assertThat(restored.contains("a", T.plusSeconds(1))).isTrue();
        assertThat(restored.contains("late", T.plusSeconds(1))).isFalse();
        assertThat(restored.listed(3).from()).as("a restored list stays as complete as it was").isEqualTo(T.plusNanos(1));
    }

    @Test
    void shouldNotCountTheRestOfABulkSaveCutByARestartAsPublished() {
        // a save of many rows at T was published up to FCUSTID 500 when the job stopped; the list could not hold T
        PublishedVersions restored = PublishedVersions.of(new Checkpoint(Checkpoint.VERSION, "job", true, null, T,
                List.of(), 5_000, Instant.EPOCH, "500", T.plusNanos(1)));
        assertThat(restored.contains("499", T)).isTrue();
        assertThat(restored.contains("500", T)).isTrue();
        assertThat(restored.contains("501", T)).as("after the position: not published yet").isFalse();
        assertThat(restored.contains("9", T.minusSeconds(1))).isTrue();
    }

    @Test
    void shouldForgetVersionsThatLeftTheWindow() {
        PublishedVersions v = new PublishedVersions();
        v.add("old", T);
        v.add("new", T.plusMinutes(10));
        v.add("dateless", null);
        v.forgetBefore(T.plusMinutes(5));
        assertThat(v.size()).isEqualTo(1);
        assertThat(v.contains("old", T)).isFalse();
        assertThat(v.listed(10).keys()).isEqualTo(List.of("new@" + T.plusMinutes(10)));
    }
}

package io.kdpipe.transformer.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.NullNode;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.transformer.notice.MessageFitter;
import io.kdpipe.transformer.notice.NoticeFormat;
import io.kdpipe.transformer.notice.NoticeTemplates;
import io.kdpipe.transformer.notice.RoutedNotice;
import org.junit.jupiter.api.Test;

class DigestBuilderTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final long WINDOW_START = Instant.parse("2026-12-06T01:00:00Z").toEpochMilli();
    private static final String WINDOW_START_TEXT = "2026-12-06 09:00:00";

    /** Each part takes the longest run of the next items that fits, whatever the lines' lengths do from part to part. */
    @Test
    void shouldFillEveryDigestWithTheLongestRunThatFits() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 60; round++) {
            NoticeFormat format = round % 2 == 0 ? NoticeFormat.MARKDOWN : NoticeFormat.TEXT;
            int maxItems = 2 + random.nextInt(120);
            DigestBuilder builder = new DigestBuilder(NoticeTemplates.defaults(), format, ZONE, new MessageFitter(), maxItems);
            List<RoutedNotice> items = new ArrayList<>();
            int n = 1 + random.nextInt(400);
            // runs of alike lines, then a change of length, either way: the part before is a good guess, a poor one, or too big
            int length = 10 + random.nextInt(60);
            for (int i = 0; i < n; i++) {
                if (random.nextInt(25) == 0) {
                    length = 2 + random.nextInt(round % 3 == 0 ? 900 : 120);
                }
                items.add(item(i, length + random.nextInt(3), random));
            }
            String total = String.valueOf(n);

            List<DigestBuilder.Digest> digests = builder.build(items, WINDOW_START, Instant.parse("2026-12-06T01:01:00Z"));

            List<String> told = new ArrayList<>();
            int start = 0;
            for (int d = 0; d < digests.size(); d++) {
                int size = digests.get(d).items();
                int end = start + size;
                assertThat(size).isBetween(1, maxItems);
                if (size > 1) {
                    assertThat(builder.fits(items, start, end, total, WINDOW_START_TEXT)).as("round %d, part %d fits", round, d).isTrue();
                }
                if (d < digests.size() - 1 && size < maxItems) {
                    assertThat(builder.fits(items, start, end + 1, total, WINDOW_START_TEXT))
                            .as("round %d, part %d: one more item would not fit", round, d).isFalse();
                }
                told.addAll(digests.get(d).notice().customerKeys());
                start = end;
            }
            assertThat(start).isEqualTo(n);
            assertThat(told).containsExactlyElementsOf(items.stream().map(r -> r.notice().customerKeys().get(0)).toList());
        }
    }

    private static RoutedNotice item(int i, int length, SplittableRandom random) {
        StringBuilder line = new StringBuilder("- ");
        for (int c = 0; c < length; c++) {
            line.append(random.nextInt(4) == 0 ? '客' : (char) ('a' + random.nextInt(26)));
        }
        Notice.Kind kind = random.nextInt(10) == 0 ? Notice.Kind.CHANGED : Notice.Kind.CREATED;
        Instant at = Instant.parse("2026-12-06T01:00:00Z").plusSeconds(i);
        Notice notice = new Notice(Notice.VERSION, "n" + i, kind, List.of("acct:" + i),
                new Notice.Recipients(List.of("zhangwei"), List.of(), List.of()), NullNode.getInstance(),
                new Notice.Provenance("kingdee.customers.v1", 0, i, at, null), at, null);
        return new RoutedNotice(RoutedNotice.VERSION, notice, line.toString());
    }
}

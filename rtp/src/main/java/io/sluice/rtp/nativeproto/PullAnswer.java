package io.sluice.rtp.nativeproto;

import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a pull answer (112): for each requested liveId, the SSRC its data will carry, or
 * {@code null} when the server has no such stream.
 *
 * <pre>
 * "cam1#1234567;cam2#null;cam3#99"      at most {@value #MAX_ENTRIES} entries per datagram
 *  \__/ \_____/
 *  liveId  SSRC (decimal) or null
 * </pre>
 *
 * Sluice writes SSRCs in 1..2^31-1, whose decimal reads the same signed or unsigned; a reader accepts
 * either form.
 */
public final class PullAnswer {

    /** liveIds per answer datagram, as the original server sent them. */
    public static final int MAX_ENTRIES = 20;
    public static final String NO_STREAM = "null";

    /** One liveId and its SSRC; {@code found} false for {@code null}. */
    public record Entry(String liveId, boolean found, int ssrc) {

        public static Entry of(String liveId, int ssrc) {
            return new Entry(liveId, true, ssrc);
        }

        public static Entry missing(String liveId) {
            return new Entry(liveId, false, 0);
        }
    }

    private PullAnswer() {
    }

    /** The payloads answering {@code entries}, {@value #MAX_ENTRIES} entries each. */
    public static List<String> format(List<Entry> entries) {
        List<String> payloads = new ArrayList<>();
        for (int from = 0; from < entries.size(); from += MAX_ENTRIES) {
            StringBuilder sb = new StringBuilder();
            for (Entry e : entries.subList(from, Math.min(entries.size(), from + MAX_ENTRIES))) {
                if (!sb.isEmpty()) {
                    sb.append(LiveIdLists.ACK_SEPARATOR);
                }
                sb.append(e.liveId()).append(LiveIdLists.PULL_SEPARATOR)
                        .append(e.found() ? Integer.toUnsignedString(e.ssrc()) : NO_STREAM);
            }
            payloads.add(sb.toString());
        }
        return payloads;
    }

    /**
     * The entries of one answer payload; malformed entries (no {@code #}, an SSRC that is neither
     * {@code null} nor a 32-bit decimal) are skipped.
     */
    public static List<Entry> parse(String payload) {
        List<Entry> entries = new ArrayList<>();
        for (String item : LiveIdLists.split(payload, LiveIdLists.ACK_SEPARATOR)) {
            int hash = item.lastIndexOf(LiveIdLists.PULL_SEPARATOR);
            if (hash <= 0) {
                continue;
            }
            String liveId = item.substring(0, hash);
            String ssrc = item.substring(hash + 1);
            if (ssrc.equals(NO_STREAM)) {
                entries.add(Entry.missing(liveId));
                continue;
            }
            try {
                long value = Long.parseLong(ssrc);
                if (value >= Integer.MIN_VALUE && value <= 0xFFFF_FFFFL) {
                    entries.add(Entry.of(liveId, (int) value));
                }
            } catch (NumberFormatException e) {
                // skipped, as documented
            }
        }
        return entries;
    }
}

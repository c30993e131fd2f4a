package io.sluice.rtp.nativeproto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The liveId lists of the text payloads: {@code id1#id2#...} in pull requests (111) and stop-push
 * requests (122), {@code id1;id2;...} in subscriber acknowledgements (99), and the chunking of a pull
 * request into datagrams.
 *
 * <pre>
 * "cam1#cam2#...#camN"  (UTF-8)
 * |&lt;--- 738 bytes ---&gt;|&lt;--- 738 bytes ---&gt;|&lt;- rest -&gt;|
 *   seq 0, M=0           seq 1, M=0           seq 2, M=1
 * </pre>
 *
 * The original split the request's bytes without regard to ids, so a liveId may straddle two chunks:
 * a receiver concatenates the chunks in sequence order before splitting at {@code #}.
 */
public final class LiveIdLists {

    public static final char PULL_SEPARATOR = '#';
    public static final char ACK_SEPARATOR = ';';
    /** Payload bytes per pull-request chunk, as the original client split them. */
    public static final int PULL_REQUEST_CHUNK_BYTES = 738;

    private LiveIdLists() {
    }

    /** {@code ids} joined with {@code separator}. */
    public static String join(List<String> ids, char separator) {
        return String.join(String.valueOf(separator), ids);
    }

    /** The non-empty ids of {@code text} split at {@code separator}, in order. */
    public static List<String> split(String text, char separator) {
        List<String> ids = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == separator) {
                if (i > start) {
                    ids.add(text.substring(start, i));
                }
                start = i + 1;
            }
        }
        return ids;
    }

    /** The chunks of a pull request for {@code ids}: at least one (empty for an empty list). */
    public static List<byte[]> pullRequestChunks(List<String> ids) {
        byte[] all = join(ids, PULL_SEPARATOR).getBytes(StandardCharsets.UTF_8);
        List<byte[]> chunks = new ArrayList<>();
        for (int from = 0; from < all.length || chunks.isEmpty(); from += PULL_REQUEST_CHUNK_BYTES) {
            chunks.add(Arrays.copyOfRange(all, from, Math.min(all.length, from + PULL_REQUEST_CHUNK_BYTES)));
        }
        return chunks;
    }
}

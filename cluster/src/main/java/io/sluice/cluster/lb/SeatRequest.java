package io.sluice.cluster.lb;

import io.sluice.cluster.seating.RoomKey;
import io.sluice.node.rtsp.RtspUrl;

/**
 * A checked assignment request: a user and the room it wants, and for a switch the room it comes from.
 *
 * @param from null when the request names none
 */
public record SeatRequest(String uid, RoomKey room, RoomKey from) {

    /** A uid longer than this is refused: it is a key of the cluster's user map, and nodes take no longer one. */
    public static final int MAX_UID_LENGTH = RtspUrl.MAX_UID_LENGTH;

    /** The uid, or an IllegalArgumentException saying what is wrong with it. */
    public static String checkUid(String uid) {
        if (uid == null || uid.isEmpty()) {
            throw new IllegalArgumentException("uid is required");
        }
        if (uid.length() > MAX_UID_LENGTH) {
            throw new IllegalArgumentException("uid is longer than " + MAX_UID_LENGTH + " characters");
        }
        checkText("uid", uid);
        return uid;
    }

    /**
     * A film path or stream name, or an IllegalArgumentException saying what is wrong with it.
     *
     * @param maxLength the longest name taken: the RTSP request line a node takes, which a longer name
     *                  could not be played in
     */
    public static String checkName(String field, String name, int maxLength) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (name.length() > maxLength) {
            throw new IllegalArgumentException(field + " is longer than " + maxLength + " characters");
        }
        checkText(field, name);
        return name;
    }

    /**
     * The room a {@code from} names: {@code vod/FID} or {@code live/NAME} as the answers write rooms, or a
     * bare film path. A film whose path begins with {@code vod/} or {@code live/} is named in the first form.
     */
    public static RoomKey parseFrom(String from, int maxLength) {
        checkName("from", from, maxLength);
        RoomKey room = RoomKey.parsePath(from);
        return room != null ? room : RoomKey.film(from);
    }

    private static void checkText(String field, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new IllegalArgumentException(field + " must not hold control characters");
            }
        }
    }
}

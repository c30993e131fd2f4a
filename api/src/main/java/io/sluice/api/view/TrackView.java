package io.sluice.api.view;

/**
 * One track of a live stream.
 *
 * @param lost     packets lost from the publisher (expected minus received, RFC 3550 A.3)
 * @param jitterMs interarrival jitter of the publisher's packets (RFC 3550 A.8)
 */
public record TrackView(int index, String media, String codec, int clockRate, Long ssrc, long packets, long bytes,
                        long lost, double jitterMs) {
}

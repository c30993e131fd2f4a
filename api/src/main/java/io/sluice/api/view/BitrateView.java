package io.sluice.api.view;

/** Bits per second over the last 1, 3 and 10 seconds (less while the stream is younger). */
public record BitrateView(long last1s, long last3s, long last10s) {
}

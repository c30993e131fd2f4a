package io.sluice.api.view;

/** Share of packets lost (0 to 1) over the last 2, 10 and 60 seconds. */
public record LossView(double last2s, double last10s, double last60s) {
}

package io.sluice.api.view;

/** This node at a glance. */
public record NodeView(String version, long uptimeMs, int streams, int readers, int sessions, int rtspConnections,
                       long bitrateIn, long bitrateOut, long heapUsedBytes, long heapMaxBytes) {
}

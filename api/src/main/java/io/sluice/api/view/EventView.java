package io.sluice.api.view;

import java.util.List;

/** One tick of {@code /api/v1/events}: everything the dashboard draws. */
public record EventView(long timeMs, NodeView node, List<StreamView> streams, List<SessionView> sessions) {
}

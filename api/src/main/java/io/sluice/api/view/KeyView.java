package io.sluice.api.view;

/**
 * A stream's publish key.
 *
 * @param publishUrl where to publish with it, as the caller reached this node
 * @param live       whether a publisher is on the stream now
 */
public record KeyView(String liveId, String liveCode, String publishUrl, String playUrl, boolean live) {
}

package io.sluice.systemtest.harness;

/** A live stream's publish credentials: the seed's liveId and liveCode. */
public record StreamKey(String liveId, String liveCode) {
}

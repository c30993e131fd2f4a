package io.sluice.bench.load;

/**
 * A join storm: {@code readers} players start DESCRIBE/SETUP/PLAY at the same instant. Times are from that
 * instant, in ms, as p50/p99/max over the readers: PLAY answered, first RTP packet, first keyframe start
 * (where a decoder can begin).
 */
record StormResult(String server, int readers, int failures, int withoutPacket, int withoutKeyframe,
                   double[] playAnsweredMs, double[] firstPacketMs, double[] firstKeyframeMs) {
}

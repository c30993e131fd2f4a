package io.sluice.format.mpegts;

/**
 * One elementary stream of a program as its PMT lists it.
 *
 * @param pid        the PID of its TS packets
 * @param streamType its PMT stream_type, see {@link TsStreamType}
 */
public record TsElementaryStream(int pid, int streamType) {
}

/**
 * RTCP (RFC 3550 section 6, RFC 4585 feedback): static accessors that read one packet of a compound
 * packet at an absolute offset, and {@link io.sluice.rtp.rtcp.RtcpWriter} which appends packets.
 *
 * <p>Walk a compound packet after {@link io.sluice.rtp.rtcp.RtcpPacket#isValidCompound} accepted it:
 * <pre>{@code
 * for (int off = buf.readerIndex(); off < buf.writerIndex(); off += RtcpPacket.packetLength(buf, off)) {
 *     switch (RtcpPacket.packetType(buf, off)) { ... }
 * }
 * }</pre>
 * The accessors do not check bounds beyond what {@code ByteBuf} itself checks; validate first.
 */
package io.sluice.rtp.rtcp;

package io.sluice.node.nativeproto;

import io.netty.buffer.ByteBuf;
import io.sluice.node.live.ReaderTransport;

/**
 * A reader of a stream's fan-out on the native side: a native puller, a film pull, the MPEG-TS bridge.
 * None of them takes RTCP: the native protocol has none (the TS carries its own clock, PCR, and a stream's
 * end is a 121), so RTCP packets are dropped here. None of them stalls either: they share one UDP socket
 * (or write to no socket at all), so a puller that cannot keep up loses packets to the full socket, not a
 * queue of its own that the stall limit would watch. Subclasses say how RTP goes out.
 */
abstract class NativeReaderTransport implements ReaderTransport {

    private final String kind;

    /** {@code kind}: the name logs and the API show for readers of this transport. */
    NativeReaderTransport(String kind) {
        this.kind = kind;
    }

    @Override
    public final void sendRtcp(int trackIndex, ByteBuf packet) {
        packet.release();
    }

    @Override
    public final boolean stalled(long nowNs) {
        return false;
    }

    @Override
    public final String kind() {
        return kind;
    }
}

package io.sluice.format.mpegts;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgramTablesTest {

    @Test
    void writesThePatFfmpegWritesForOneProgramAtPid0x1000() {
        ByteBuf out = Unpooled.buffer();
        try {
            ProgramTables.writePat(out, 1, 1, 0x1000, 0);
            assertThat(out.readableBytes()).isEqualTo(TsPacket.SIZE);
            // The PAT of every ffmpeg-made TS file: CRC 2ab104b2, then 0xFF to the end of the packet.
            assertThat(ByteBufUtil.hexDump(out, 0, 21)).isEqualTo("474000100000b00d0001c100000001f0002ab104b2");
            for (int i = 21; i < TsPacket.SIZE; i++) {
                assertThat((int) out.getUnsignedByte(i)).isEqualTo(0xFF);
            }
            assertThat(ProgramTables.crcValid(out, 5)).isTrue();
            assertThat(ProgramTables.parsePat(out, 5)).isEqualTo(0x1000);
        } finally {
            out.release();
        }
    }

    @Test
    void aPmtReadsBackItsStreamsAndPcrPid() {
        ByteBuf out = Unpooled.buffer();
        try {
            List<TsElementaryStream> streams = List.of(new TsElementaryStream(0x100, TsStreamType.H264),
                    new TsElementaryStream(0x101, TsStreamType.AAC_ADTS));
            ProgramTables.writePmt(out, 0x1000, 1, 0x100, streams, 3);
            assertThat(TsPacket.pid(out, 0)).isEqualTo(0x1000);
            assertThat(TsPacket.continuityCounter(out, 0)).isEqualTo(3);
            assertThat(TsPacket.payloadUnitStart(out, 0)).isTrue();
            assertThat(ByteBufUtil.hexDump(out, 5, 22)).isEqualTo("02b0170001c10000e100f0001be100f0000fe101f000");
            assertThat(ProgramTables.crcValid(out, 5)).isTrue();
            assertThat(ProgramTables.parsePmt(out, 5)).isEqualTo(new ProgramTables.Pmt(1, 0x100, streams));
            out.setByte(10, out.getByte(10) ^ 1);
            assertThat(ProgramTables.crcValid(out, 5)).isFalse();
        } finally {
            out.release();
        }
    }

    @Test
    void pesTimestampsRoundTripAll33Bits() {
        ByteBuf out = Unpooled.buffer();
        try {
            long pts = (1L << 33) - 2;
            PesHeader.write(out, PesHeader.VIDEO_STREAM_ID, pts, 12345, 100);
            assertThat(out.readableBytes()).isEqualTo(PesHeader.length(pts, 12345)).isEqualTo(19);
            assertThat(PesHeader.isValid(out, 0, out.readableBytes())).isTrue();
            assertThat(PesHeader.pts(out, 0)).isEqualTo(pts);
            assertThat(PesHeader.dts(out, 0)).isEqualTo(12345);
            assertThat(PesHeader.packetLength(out, 0)).isEqualTo(3 + 10 + 100);
            assertThat(ByteBufUtil.hexDump(out, 9, 5)).isEqualTo("3ffffffffd");
        } finally {
            out.release();
        }
    }
}

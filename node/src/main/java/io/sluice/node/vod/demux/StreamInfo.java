package io.sluice.node.vod.demux;

/**
 * One elementary stream of a film as FFmpeg's demuxer describes it.
 *
 * @param index         the stream's index in the container, what {@link DemuxedPacket#streamIndex()} names
 * @param mediaType     "video", "audio", or another FFmpeg media type name
 * @param codec         FFmpeg's codec name: "h264", "hevc", "aac", "opus", "mp3", ...
 * @param timeBaseNum   numerator of the stream's time base (seconds per timestamp unit)
 * @param timeBaseDen   denominator of the stream's time base
 * @param extradata     the codec's out-of-band configuration (avcC, hvcC, AudioSpecificConfig, Annex B
 *                      parameter sets for MPEG-TS), empty when there is none
 * @param sampleRate    audio samples per second, 0 for video
 * @param channels      audio channels, 0 for video
 * @param width         video width in pixels, 0 for audio
 * @param height        video height in pixels, 0 for audio
 */
public record StreamInfo(int index, String mediaType, String codec, int timeBaseNum, int timeBaseDen,
                         byte[] extradata, int sampleRate, int channels, int width, int height) {

    public boolean isVideo() {
        return "video".equals(mediaType);
    }

    public boolean isAudio() {
        return "audio".equals(mediaType);
    }

    /** A timestamp of this stream in microseconds, rounded down. */
    public long toMicros(long timestamp) {
        try {
            return Math.floorDiv(Math.multiplyExact(timestamp, timeBaseNum * 1_000_000L), timeBaseDen);
        } catch (ArithmeticException e) {
            return (long) Math.floor((double) timestamp * timeBaseNum * 1_000_000.0 / timeBaseDen);
        }
    }
}

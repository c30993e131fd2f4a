package io.sluice.node.vod.media;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.sdp.SessionDescription;
import io.sluice.node.vod.demux.FilmProbe;
import io.sluice.node.vod.demux.StreamInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A film of the library as it is streamed: the file, what probing it found, and the tracks it is sent
 * with (the first video stream and the first audio stream that can be streamed). Immutable.
 */
public final class Film {

    private final String fid;
    private final Path file;
    private final long sizeBytes;
    private final long modifiedMs;
    private final FilmProbe probe;
    private final List<FilmTrack> tracks;
    private final FilmTrack[] byStream;
    private final int keyTrack;

    private Film(String fid, Path file, long sizeBytes, long modifiedMs, FilmProbe probe, List<FilmTrack> tracks) {
        this.fid = fid;
        this.file = file;
        this.sizeBytes = sizeBytes;
        this.modifiedMs = modifiedMs;
        this.probe = probe;
        this.tracks = List.copyOf(tracks);
        this.byStream = new FilmTrack[probe.streams().size()];
        int key = 0;
        for (FilmTrack t : tracks) {
            byStream[t.stream().index()] = t;
        }
        for (FilmTrack t : tracks) {
            if (t.isVideo()) {
                key = t.index();
                break;
            }
        }
        this.keyTrack = key;
    }

    /**
     * The film for a probed file.
     *
     * @throws UnsupportedFilmException when no stream can be streamed or a decoder configuration is bad
     */
    public static Film of(String fid, Path file, long sizeBytes, long modifiedMs, FilmProbe probe, int maxPayloadSize,
                          ByteBufAllocator alloc) throws UnsupportedFilmException {
        List<FilmTrack> tracks = new ArrayList<>(2);
        boolean video = false;
        boolean audio = false;
        for (StreamInfo s : probe.streams()) {
            if ((s.isVideo() && video) || (s.isAudio() && audio) || !(s.isVideo() || s.isAudio())) {
                continue;
            }
            FilmTrack track;
            try {
                track = TrackFormats.track(tracks.size(), s, maxPayloadSize, alloc);
            } catch (IllegalArgumentException e) {
                throw new UnsupportedFilmException("stream " + s.index() + " (" + s.codec()
                        + ") has a bad decoder configuration: " + e.getMessage());
            }
            if (track != null) {
                tracks.add(track);
                video |= s.isVideo();
                audio |= s.isAudio();
            }
        }
        if (tracks.isEmpty()) {
            throw new UnsupportedFilmException("no stream in a codec the node streams (" + TrackFormats.SUPPORTED
                    + "); the file has " + codecs(probe));
        }
        return new Film(fid, file, sizeBytes, modifiedMs, probe, tracks);
    }

    /** The film's id: its path relative to the media directory, with forward slashes. */
    public String fid() {
        return fid;
    }

    public Path file() {
        return file;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public long modifiedMs() {
        return modifiedMs;
    }

    public FilmProbe probe() {
        return probe;
    }

    public List<FilmTrack> tracks() {
        return tracks;
    }

    /** The track a container stream feeds, or null when the stream is not streamed. */
    public FilmTrack trackOfStream(int streamIndex) {
        return streamIndex >= 0 && streamIndex < byStream.length ? byStream[streamIndex] : null;
    }

    /** The track whose keyframes cut the film into GOPs: the video track, else the first. */
    public int keyTrack() {
        return keyTrack;
    }

    public long durationUs() {
        return probe.durationUs();
    }

    /** The container's title tag, else the file name without its extension. */
    public String title() {
        if (probe.title() != null) {
            return probe.title();
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Every stream's codec, streamed or not, in container order. */
    public List<String> codecs() {
        return codecs(probe);
    }

    /** The DESCRIBE answer: {@code a=range:npt=0-DURATION}, aggregate control {@code *}, one section per track. */
    public String sdp(String serverAddress) {
        SessionDescription sdp = new SessionDescription();
        sdp.origin("- " + (Integer.toUnsignedLong(fid.hashCode()) & 0x7fffffffL) + " " + (modifiedMs / 1000)
                + " IN IP4 " + serverAddress);
        sdp.sessionName(title().replaceAll("[\\r\\n]", " "));
        sdp.connection("IN IP4 0.0.0.0");
        sdp.setAttribute("tool", "Sluice");
        sdp.setAttribute("control", "*");
        sdp.setAttribute("range", String.format(Locale.ROOT, "npt=0-%.3f", durationUs() / 1e6));
        for (FilmTrack t : tracks) {
            sdp.media().add(t.media());
        }
        return sdp.toString();
    }

    private static List<String> codecs(FilmProbe probe) {
        return Arrays.asList(probe.streams().stream().map(StreamInfo::codec).toArray(String[]::new));
    }
}

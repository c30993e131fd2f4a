package io.sluice.node.nativeproto;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the native protocol server dropped and why, and what its retransmission did. Nobody is told
 * about a dropped datagram, so each reason is counted for the operator.
 */
public final class NativeCounters {
    /** Shorter than a header, another first byte than 0x80, or a payload the message cannot have. */
    public final LongAdder malformed = new LongAdder();
    /** Longer than maxDatagramBytes. */
    public final LongAdder oversized = new LongAdder();
    /** A payload type the port does not serve. */
    public final LongAdder unknownType = new LongAdder();
    /** Auth requests refused (wrong liveCode, unknown liveId, name taken, table full). */
    public final LongAdder authRefused = new LongAdder();
    /** Auth requests dropped because their source IP failed too often (liveCode guessing). */
    public final LongAdder authRateLimited = new LongAdder();
    /** Auth requests dropped because too many were waiting for the key store. */
    public final LongAdder authOverloaded = new LongAdder();
    /** Stream data on an SSRC that no auth gave out (the original made a "test stream" of it). */
    public final LongAdder dataUnknownSsrc = new LongAdder();
    /** Stream data on a known SSRC from another address than the one that authenticated it. */
    public final LongAdder dataWrongSource = new LongAdder();
    /** Stream data that arrived twice, or too late to be placed. */
    public final LongAdder dataDuplicate = new LongAdder();
    /** Stop-push or delay-probe requests for streams the sender does not push. */
    public final LongAdder notOwner = new LongAdder();
    /** Pull-port datagrams from an address without a client id, or with another client id. */
    public final LongAdder unknownPuller = new LongAdder();
    /** 114s dropped because maxPullers client ids are out. */
    public final LongAdder pullerTableFull = new LongAdder();
    /** Pull requests whose chunks did not all arrive in time (answered 113). */
    public final LongAdder pullRequestsIncomplete = new LongAdder();
    /** Pullers ended for lack of heartbeats. */
    public final LongAdder pullerTimeouts = new LongAdder();
    /** Sequence numbers pullers asked to be resent. */
    public final LongAdder retransmitRequested = new LongAdder();
    /** Packets resent to pullers. */
    public final LongAdder retransmitSent = new LongAdder();
    /** Requested packets no longer (or not yet) in the stream's history. */
    public final LongAdder retransmitMissing = new LongAdder();
    /** Requests not answered: asked again within the suppression interval, or over the puller's budget. */
    public final LongAdder retransmitSuppressed = new LongAdder();
    /** Film pulls answered {@code null}: no such film under the media folder, unreadable, or without H.264/H.265. */
    public final LongAdder filmsNotFound = new LongAdder();
    /** Film pulls answered {@code null} because of maxFilmPulls or maxFilmsPerPuller. */
    public final LongAdder filmPullsRefused = new LongAdder();
    /** Film controls (124, 125) for a liveId the puller does not pull as a film (answered refused). */
    public final LongAdder filmControlsRefused = new LongAdder();
    /** Film starts and controls dropped over a puller's filmControlsPerSecond. */
    public final LongAdder filmControlsDropped = new LongAdder();
    /** Sequence numbers the server asked pushers to resend. */
    public final LongAdder pusherRequested = new LongAdder();
    /** Of those, packets that arrived. */
    public final LongAdder pusherRecovered = new LongAdder();
    /**
     * What the demuxing of pushed TS for RTSP readers dropped: TS packets without the sync byte, PSI
     * sections with a bad CRC, PES packets that lost a TS packet or hold no Annex B or ADTS data.
     */
    public final LongAdder demuxDropped = new LongAdder();

    /** Every counter by a kebab-case name, for the API and metrics. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("malformed", malformed.sum());
        m.put("oversized", oversized.sum());
        m.put("unknown-type", unknownType.sum());
        m.put("auth-refused", authRefused.sum());
        m.put("auth-rate-limited", authRateLimited.sum());
        m.put("auth-overloaded", authOverloaded.sum());
        m.put("data-unknown-ssrc", dataUnknownSsrc.sum());
        m.put("data-wrong-source", dataWrongSource.sum());
        m.put("data-duplicate", dataDuplicate.sum());
        m.put("not-owner", notOwner.sum());
        m.put("unknown-puller", unknownPuller.sum());
        m.put("puller-table-full", pullerTableFull.sum());
        m.put("pull-requests-incomplete", pullRequestsIncomplete.sum());
        m.put("puller-timeouts", pullerTimeouts.sum());
        m.put("retransmit-requested", retransmitRequested.sum());
        m.put("retransmit-sent", retransmitSent.sum());
        m.put("retransmit-missing", retransmitMissing.sum());
        m.put("retransmit-suppressed", retransmitSuppressed.sum());
        m.put("films-not-found", filmsNotFound.sum());
        m.put("film-pulls-refused", filmPullsRefused.sum());
        m.put("film-controls-refused", filmControlsRefused.sum());
        m.put("film-controls-dropped", filmControlsDropped.sum());
        m.put("pusher-requested", pusherRequested.sum());
        m.put("pusher-recovered", pusherRecovered.sum());
        m.put("demux-dropped", demuxDropped.sum());
        return m;
    }
}

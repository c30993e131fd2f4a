package io.sluice.node.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.util.ReferenceCountUtil;
import io.sluice.format.sdp.SdpParseException;
import io.sluice.format.sdp.SessionDescription;
import io.sluice.node.live.LiveReader;
import io.sluice.node.live.LiveStream;
import io.sluice.node.live.ReaderTransport;
import io.sluice.node.udp.UdpMediaEndpoint;
import io.sluice.node.udp.UdpReaderTransport;
import io.sluice.node.vod.FilmLibrary;
import io.sluice.node.vod.FilmNotFoundException;
import io.sluice.node.vod.PlayScale;
import io.sluice.node.vod.media.Film;
import io.sluice.node.vod.media.UnsupportedFilmException;
import io.sluice.node.vod.room.FilmViewer;
import io.sluice.rtsp.headers.Range;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtsp.codec.InterleavedFrame;
import io.sluice.rtsp.headers.SessionHeader;
import io.sluice.rtsp.headers.Transport;
import io.sluice.rtsp.session.RtspSessionState;
import io.sluice.rtsp.session.RtspStatusException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTSP connection of the server: answers requests (RFC 2326), owns the sessions created on it and
 * routes the interleaved frames it receives. Runs on the connection's event loop; what touches streams
 * is handed to the media loop.
 */
final class RtspConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RtspConnectionHandler.class);
    private static final String SERVER = "Sluice";
    private static final String PUBLIC_METHODS =
            "OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, PAUSE, RECORD, TEARDOWN, GET_PARAMETER, SET_PARAMETER";
    private static final HttpResponseStatus STREAM_ALREADY_PUBLISHED =
            new HttpResponseStatus(403, "Forbidden: Stream Already Published");

    /** Where an interleaved channel number of this connection leads. */
    private record InterleavedRoute(RtspServerSession session, int track, boolean rtcp) {
    }

    private final RtspServerContext server;
    private final List<RtspServerSession> sessions = new ArrayList<>();
    private final InterleavedRoute[] routes = new InterleavedRoute[256];
    private Channel channel;
    private boolean counted;
    /**
     * The room ({@code vod/FID} or {@code live/NAME}) and uid of this connection's last DESCRIBE: players set
     * their tracks up at the Content-Base, which drops the query, so a SETUP without {@code ?uid=} takes it here.
     */
    private String describedRoom;
    private String describedUid;

    RtspConnectionHandler(RtspServerContext server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        counted = true;
        if (server.connections.incrementAndGet() > server.config.maxRtspConnections()) {
            server.counters.connectionsRefused.increment();
            log.warn("rtsp {}: refused, {} connections is the limit (maxRtspConnections)",
                    channel.remoteAddress(), server.config.maxRtspConnections());
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            server.connections.decrementAndGet();
        }
        for (RtspServerSession s : List.copyOf(sessions)) {
            closeSession(s, "connection closed");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof InterleavedFrame frame) {
                onInterleaved(frame);
            } else if (msg instanceof FullHttpRequest request) {
                onRequest(request);
            }
            // Responses from a client are not expected: the server sends no requests.
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("rtsp {}: closing after error: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    // ---------------------------------------------------------------------------------------------------
    // Interleaved data

    private void onInterleaved(InterleavedFrame frame) {
        InterleavedRoute route = routes[frame.channel()];
        if (route == null || route.session.isClosed()) {
            server.counters.interleavedUnknownChannel.increment();
            return;
        }
        RtspServerSession session = route.session;
        long nowNs = server.nanoClock.getAsLong();
        session.touch(nowNs);
        ByteBuf data = frame.content();
        if (session.role == RtspServerSession.Role.PUBLISHER) {
            LiveStream stream = session.stream;
            int track = route.track;
            if (route.rtcp) {
                ByteBuf packet = data.retain();
                server.udp.execute(() -> {
                    try {
                        stream.onRtcp(track, packet);
                    } finally {
                        packet.release();
                    }
                });
            } else if (RtpPacket.isValid(data)) {
                ByteBuf packet = data.retain();
                server.udp.execute(() -> {
                    try {
                        stream.onRtp(track, packet);
                    } finally {
                        packet.release();
                    }
                });
            } else {
                server.counters.rtpMalformed.increment();
            }
        } else if (route.rtcp && session.reader != null) {
            LiveReader reader = session.reader;
            ByteBuf packet = data.retain();
            server.udp.execute(() -> {
                try {
                    reader.onRtcp(packet, nowNs);
                } finally {
                    packet.release();
                }
            });
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Requests

    private void onRequest(FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            server.counters.rtspBadRequests.increment();
            String why = request.decoderResult().cause().getMessage();
            log.info("rtsp {}: bad request, closing: {}", channel.remoteAddress(), why);
            FullHttpResponse response = response(request, HttpResponseStatus.BAD_REQUEST);
            response.headers().set(RtspHeaderNames.CONNECTION, "close");
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!request.headers().contains(RtspHeaderNames.CSEQ)) {
            server.counters.rtspBadRequests.increment();
            reply(response(request, HttpResponseStatus.BAD_REQUEST));
            return;
        }
        HttpMethod method = request.method();
        try {
            if (request.headers().contains(RtspHeaderNames.REQUIRE)) {
                FullHttpResponse r = response(request, RtspResponseStatuses.OPTION_NOT_SUPPORTED);
                r.headers().set(RtspHeaderNames.UNSUPPORTED, request.headers().get(RtspHeaderNames.REQUIRE));
                reply(r);
                return;
            }
            if (method.equals(RtspMethods.OPTIONS)) {
                options(request);
            } else if (method.equals(RtspMethods.DESCRIBE)) {
                describe(request);
            } else if (method.equals(RtspMethods.ANNOUNCE)) {
                announce(request);
            } else if (method.equals(RtspMethods.SETUP)) {
                setup(request);
            } else if (method.equals(RtspMethods.PLAY)) {
                play(request);
            } else if (method.equals(RtspMethods.RECORD)) {
                record(request);
            } else if (method.equals(RtspMethods.PAUSE)) {
                pause(request);
            } else if (method.equals(RtspMethods.TEARDOWN)) {
                teardown(request);
            } else if (method.equals(RtspMethods.GET_PARAMETER) || method.equals(RtspMethods.SET_PARAMETER)) {
                keepAlive(request);
            } else {
                reply(response(request, HttpResponseStatus.NOT_IMPLEMENTED));
            }
        } catch (RtspStatusException e) {
            log.info("rtsp {}: {} {} -> {} ({})", channel.remoteAddress(), method, request.uri(),
                    e.status().code(), e.getMessage());
            FullHttpResponse r = response(request, e.status());
            if (e.status().code() == 401) {
                PublishAuthorizer.addChallenges(r.headers(), server.authorizer.challenges());
            }
            reply(r);
        }
    }

    private void options(FullHttpRequest request) {
        touchSessionIfAny(request);
        FullHttpResponse r = response(request, HttpResponseStatus.OK);
        r.headers().set(RtspHeaderNames.PUBLIC, PUBLIC_METHODS);
        reply(r);
    }

    private void keepAlive(FullHttpRequest request) throws RtspStatusException {
        RtspServerSession session = optionalSession(request);
        if (session != null) {
            session.touch(server.nanoClock.getAsLong());
        }
        reply(withSession(response(request, HttpResponseStatus.OK), session));
    }

    private void describe(FullHttpRequest request) throws RtspStatusException {
        RtspUrl url = parseUrl(request);
        describedUid = uidOf(url);
        describedRoom = roomOf(url);
        if (isFilm(url)) {
            describeFilm(request, url);
            return;
        }
        request.retain();
        ReaderPresentation.await(liveStream(url), url, channel.eventLoop(),
                server.config.nativeLimits().describeWait().toMillis(), (stream, error) -> {
                    try {
                        if (error != null) {
                            log.info("rtsp {}: DESCRIBE {} -> {} ({})", channel.remoteAddress(), request.uri(),
                                    error.status().code(), error.getMessage());
                            reply(response(request, error.status()));
                            return;
                        }
                        FullHttpResponse r = response(request, HttpResponseStatus.OK,
                                Unpooled.copiedBuffer(stream.readerSdp(localHost()), StandardCharsets.UTF_8));
                        r.headers().set(RtspHeaderNames.CONTENT_TYPE, "application/sdp");
                        r.headers().set(RtspHeaderNames.CONTENT_BASE, contentBase(request.uri()));
                        reply(r);
                    } finally {
                        request.release();
                    }
                });
    }

    private void announce(FullHttpRequest request) throws RtspStatusException {
        RtspUrl url = parseUrl(request);
        if (!url.isLive() || url.segments().size() != 2) {
            throw new RtspStatusException(HttpResponseStatus.NOT_FOUND, "publish only to /live/NAME");
        }
        String name = url.liveName();
        if (!server.authorizer.authorized(request, url, name)) {
            server.counters.authFailures.increment();
            throw new RtspStatusException(HttpResponseStatus.UNAUTHORIZED, "no valid key for live/" + name);
        }
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(request.content().toString(StandardCharsets.UTF_8));
        } catch (SdpParseException e) {
            throw new RtspStatusException(HttpResponseStatus.BAD_REQUEST, "bad SDP: " + e.getMessage());
        }
        int tracks = sdp.media().size();
        if (tracks == 0 || tracks > server.config.maxTracksPerStream()) {
            throw new RtspStatusException(HttpResponseStatus.BAD_REQUEST,
                    "SDP must have 1 to " + server.config.maxTracksPerStream() + " media sections, has " + tracks);
        }
        requireSessionRoom();
        long nowNs = server.nanoClock.getAsLong();
        RtspServerSession session = new RtspServerSession(server.newSessionId(), channel, nowNs);
        LiveStream stream = LiveStream.create(name, session.id, remoteHost(), sdp, server.config,
                server.udp.loop(), server.alloc, server.nanoClock);
        if (!server.paths.reserve(stream)) {
            throw new RtspStatusException(STREAM_ALREADY_PUBLISHED, "live/" + name + " already has a publisher");
        }
        session.role = RtspServerSession.Role.PUBLISHER;
        session.stream = stream;
        session.setups = new TrackSetup[tracks];
        session.rtpSinks = new UdpMediaEndpoint.PacketSink[tracks];
        session.rtcpSinks = new UdpMediaEndpoint.PacketSink[tracks];
        register(session);
        log.info("rtsp {}: session {} announced live/{} with {} tracks", channel.remoteAddress(), session.id, name, tracks);
        reply(withSession(response(request, HttpResponseStatus.OK), session));
    }

    private void setup(FullHttpRequest request) throws RtspStatusException {
        String transportHeader = request.headers().get(RtspHeaderNames.TRANSPORT);
        if (transportHeader == null) {
            throw new RtspStatusException(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, "no Transport header");
        }
        Transport transport = chooseTransport(transportHeader);
        RtspUrl url = parseUrl(request);
        RtspServerSession session = optionalSession(request);
        if (isFilm(url) && (session == null || session.film != null)) {
            setupFilmTrack(request, session, url, transport);
            return;
        }
        if (session != null && session.role == RtspServerSession.Role.PUBLISHER) {
            setupPublisherTrack(request, session, url, transport);
        } else {
            setupReaderTrack(request, session, url, transport);
        }
    }

    private void setupPublisherTrack(FullHttpRequest request, RtspServerSession session, RtspUrl url, Transport transport)
            throws RtspStatusException {
        int track = publisherTrack(session.stream, url);
        if (session.setups[track] != null) {
            throw new RtspStatusException(RtspResponseStatuses.METHOD_NOT_VALID, "track " + track + " is already set up");
        }
        session.states.onSetup(true);
        session.touch(server.nanoClock.getAsLong());
        Transport answer = bindTransport(session, track, transport);
        if (!isTcp(transport)) {
            TrackSetup setup = session.setups[track];
            LiveStream stream = session.stream;
            UdpMediaEndpoint.PacketSink rtpSink = (packet, nowNs) -> {
                session.touch(nowNs);
                stream.onRtp(track, packet);
            };
            UdpMediaEndpoint.PacketSink rtcpSink = (packet, nowNs) -> {
                session.touch(nowNs);
                stream.onRtcp(track, packet);
            };
            session.rtpSinks[track] = rtpSink;
            session.rtcpSinks[track] = rtcpSink;
            server.udp.execute(() -> {
                server.udp.registerRtpSource(setup.rtpAddress(), rtpSink);
                server.udp.registerRtcpSource(setup.rtcpAddress(), rtcpSink);
            });
        }
        log.info("rtsp {}: session {} {} track {} set up for recording over {}",
                channel.remoteAddress(), session.id, session.room(), track, isTcp(transport) ? "tcp" : "udp");
        FullHttpResponse r = withSession(response(request, HttpResponseStatus.OK), session);
        r.headers().set(RtspHeaderNames.TRANSPORT, answer.toString());
        reply(r);
    }

    private void setupReaderTrack(FullHttpRequest request, RtspServerSession existing, RtspUrl url, Transport transport)
            throws RtspStatusException {
        LiveStream stream = ReaderPresentation.now(liveStream(url), url);
        if (existing != null && existing.stream != stream) {
            throw new RtspStatusException(RtspResponseStatuses.AGGREGATE_OPERATION_NOT_ALLOWED,
                    "a session reads one stream; live/" + url.liveName() + " is another");
        }
        int track = readerTrack(stream, url);
        RtspServerSession session = existing;
        if (session == null) {
            requireSessionRoom();
            session = new RtspServerSession(server.newSessionId(), channel, server.nanoClock.getAsLong());
            session.role = RtspServerSession.Role.READER;
            session.uid = viewerUid(url);
            session.stream = stream;
            session.setups = new TrackSetup[stream.trackCount()];
        }
        if (session.setups[track] != null) {
            throw new RtspStatusException(RtspResponseStatuses.METHOD_NOT_VALID, "track " + track + " is already set up");
        }
        session.states.onSetup(false);
        session.touch(server.nanoClock.getAsLong());
        Transport answer = bindTransport(session, track, transport);
        if (stream.tracks().get(track).ssrcKnown()) {
            answer = answer.withSsrc(stream.tracks().get(track).ssrc() & 0xFFFFFFFFL);
        }
        if (existing == null) {
            register(session);
        }
        log.info("rtsp {}: session {} live/{} track {} set up for playing over {}",
                channel.remoteAddress(), session.id, stream.name(), track, isTcp(transport) ? "tcp" : "udp");
        FullHttpResponse r = withSession(response(request, HttpResponseStatus.OK), session);
        r.headers().set(RtspHeaderNames.TRANSPORT, answer.toString());
        reply(r);
    }

    private void play(FullHttpRequest request) throws RtspStatusException {
        RtspServerSession session = requiredSession(request);
        requireOwnPresentation(request, session);
        if (session.role != RtspServerSession.Role.READER) {
            throw new RtspStatusException(RtspResponseStatuses.METHOD_NOT_VALID, "a publishing session cannot PLAY");
        }
        if (session.film != null) {
            playFilm(request, session);
            return;
        }
        boolean alreadyPlaying = session.state() == RtspSessionState.PLAY;
        session.states.onPlay();
        session.touch(server.nanoClock.getAsLong());
        if (alreadyPlaying) {
            reply(withSession(response(request, HttpResponseStatus.OK), session));
            return;
        }
        LiveStream stream = session.stream;
        LiveReader reader = new LiveReader(session.id, readerTransport(session), subscribed(session),
                reason -> channel.eventLoop().execute(() -> onReaderClosed(session, reason)));
        session.reader = reader;
        if (wantsRtx(request)) {
            reader.useRtx();
        }
        UdpMediaEndpoint.PacketSink rtcpSink = (packet, nowNs) -> reader.onRtcp(packet, nowNs);
        session.readerRtcpSink = rtcpSink;
        String base = contentBase(request.uri());
        FullHttpResponse r = withSession(response(request, HttpResponseStatus.OK), session);
        r.headers().set(RtspHeaderNames.RANGE, "npt=0.000-");
        // The response must leave before the first packet on a TCP connection, so the media loop writes both.
        server.udp.execute(() -> {
            if (stream.state() == LiveStream.State.ENDED || session.isClosed()) {
                reply(response(request, HttpResponseStatus.NOT_FOUND));
                return;
            }
            String rtpInfo = rtpInfo(base, stream.startPoints(), session.setups);
            if (!rtpInfo.isEmpty()) {
                r.headers().set(RtspHeaderNames.RTP_INFO, rtpInfo);
            }
            reply(r);
            for (TrackSetup s : session.setups) {
                if (s != null && !s.tcp()) {
                    server.udp.registerRtcpSource(s.rtcpAddress(), rtcpSink);
                }
            }
            stream.addReader(reader);
        });
        log.info("rtsp {}: session {} playing live/{}", channel.remoteAddress(), session.id, stream.name());
    }

    private void record(FullHttpRequest request) throws RtspStatusException {
        RtspServerSession session = requiredSession(request);
        if (session.role != RtspServerSession.Role.PUBLISHER) {
            throw new RtspStatusException(RtspResponseStatuses.METHOD_NOT_VALID, "RECORD needs an announced session");
        }
        session.states.onRecord();
        session.touch(server.nanoClock.getAsLong());
        session.stream.goLive();
        log.info("rtsp {}: session {} recording {} ({} of {} tracks set up)", channel.remoteAddress(),
                session.id, session.room(), session.setupCount(), session.setups.length);
        FullHttpResponse r = withSession(response(request, HttpResponseStatus.OK), session);
        reply(r);
    }

    private void pause(FullHttpRequest request) throws RtspStatusException {
        RtspServerSession session = requiredSession(request);
        requireOwnPresentation(request, session);
        session.states.onPause();
        session.touch(server.nanoClock.getAsLong());
        if (session.film != null) {
            pauseFilm(request, session);
            return;
        }
        stopReading(session);
        reply(withSession(response(request, HttpResponseStatus.OK), session));
    }

    private void teardown(FullHttpRequest request) throws RtspStatusException {
        RtspServerSession session = requiredSession(request);
        session.states.onTeardown();
        closeSession(session, "teardown");
        reply(response(request, HttpResponseStatus.OK));
    }

    // ---------------------------------------------------------------------------------------------------
    // Films (/vod/FID): the film library streams them; this connection keeps their RTSP sessions

    /** Continues a request once its film is probed, on this connection's loop. */
    @FunctionalInterface
    private interface FilmStep {
        void run(Film film) throws RtspStatusException;
    }

    private static boolean isFilm(RtspUrl url) {
        return url.segments().size() >= 2 && url.segments().get(0).equals("vod");
    }

    /** A track control at the end of a film URL's path ({@code /vod/a/b.mp4/trackID=1}), or null. */
    private static String filmPathControl(RtspUrl url) {
        List<String> segments = url.segments();
        String last = segments.get(segments.size() - 1);
        return segments.size() > 2 && last.startsWith("trackID=") ? last : null;
    }

    /** The film id: the path after {@code vod/}, without a track control. */
    private static String filmId(RtspUrl url) {
        List<String> segments = url.segments();
        int end = filmPathControl(url) == null ? segments.size() : segments.size() - 1;
        return String.join("/", segments.subList(1, end));
    }

    private static int filmTrack(Film film, RtspUrl url) throws RtspStatusException {
        String control = url.control() != null ? url.control() : filmPathControl(url);
        if (control == null) {
            if (film.tracks().size() == 1) {
                return 0;
            }
            throw new RtspStatusException(HttpResponseStatus.NOT_FOUND, "SETUP names no track");
        }
        if (control.startsWith("trackID=")) {
            try {
                int track = Integer.parseInt(control.substring("trackID=".length()));
                if (track >= 0 && track < film.tracks().size()) {
                    return track;
                }
            } catch (NumberFormatException ignored) {
                // falls through to 404
            }
        }
        throw new RtspStatusException(HttpResponseStatus.NOT_FOUND, "no track " + control);
    }

    /**
     * Probes the film of a {@code /vod/} URL off the event loop, then runs {@code step} on this connection's
     * loop; a film that is missing or outside the media directory answers 404, one that is not media or holds
     * no streamable codec 415.
     */
    private void withFilm(FullHttpRequest request, RtspUrl url, FilmStep step) throws RtspStatusException {
        FilmLibrary films = server.films;
        if (films == null) {
            throw new RtspStatusException(HttpResponseStatus.NOT_FOUND, "this node serves no films");
        }
        String fid = filmId(url);
        request.retain();
        films.film(fid).whenComplete((film, error) -> channel.eventLoop().execute(() -> {
            try {
                if (error == null) {
                    step.run(film);
                } else {
                    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof FilmNotFoundException) {
                        throw new RtspStatusException(HttpResponseStatus.NOT_FOUND, cause.getMessage());
                    }
                    if (cause instanceof UnsupportedFilmException) {
                        log.warn("rtsp {}: vod/{} cannot be streamed: {}", channel.remoteAddress(), fid,
                                cause.getMessage());
                        throw new RtspStatusException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, cause.getMessage());
                    }
                    log.warn("rtsp {}: vod/{} failed", channel.remoteAddress(), fid, cause);
                    throw new RtspStatusException(HttpResponseStatus.INTERNAL_SERVER_ERROR, cause.toString());
                }
            } catch (RtspStatusException e) {
                log.info("rtsp {}: {} {} -> {} ({})", channel.remoteAddress(), request.method(), request.uri(),
                        e.status().code(), e.getMessage());
                reply(response(request, e.status()));
            } finally {
                request.release();
            }
        }));
    }

    private void describeFilm(FullHttpRequest request, RtspUrl url) throws RtspStatusException {
        withFilm(request, url, film -> {
            FullHttpResponse r = response(request, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(film.sdp(localHost()), StandardCharsets.UTF_8));
            r.headers().set(RtspHeaderNames.CONTENT_TYPE, "application/sdp");
            r.headers().set(RtspHeaderNames.CONTENT_BASE, contentBase(request.uri()));
            reply(r);
        });
    }

    private void setupFilmTrack(FullHttpRequest request, RtspServerSession existing, RtspUrl url, Transport transport)
            throws RtspStatusException {
        String uid = viewerUid(url);
        withFilm(request, url, film -> {
            if (existing != null && (existing.isClosed() || existing.film != film)) {
                throw new RtspStatusException(RtspResponseStatuses.AGGREGATE_OPERATION_NOT_ALLOWED,
                        "a session plays one film; vod/" + film.fid() + " is another");
            }
            int track = filmTrack(film, url);
            RtspServerSession session = existing;
            if (session == null) {
                requireSessionRoom();
                session = new RtspServerSession(server.newSessionId(), channel, server.nanoClock.getAsLong());
                session.role = RtspServerSession.Role.READER;
                session.uid = uid;
                session.film = film;
                session.setups = new TrackSetup[film.tracks().size()];
            }
            if (session.setups[track] != null) {
                throw new RtspStatusException(RtspResponseStatuses.METHOD_NOT_VALID, "track " + track + " is already set up");
            }
            if (session.state() == RtspSessionState.PLAY) {
                throw new RtspStatusException(RtspResponseStatuses.METHOD_NOT_VALID, "SETUP after PLAY");
            }
            session.states.onSetup(false);
            session.touch(server.nanoClock.getAsLong());
            Transport answer = bindTransport(session, track, transport);
            if (existing == null) {
                register(session);
            }
            log.info("rtsp {}: session {} vod/{} track {} set up for playing over {}", channel.remoteAddress(),
                    session.id, film.fid(), track, isTcp(transport) ? "tcp" : "udp");
            FullHttpResponse r = withSession(response(request, HttpResponseStatus.OK), session);
            r.headers().set(RtspHeaderNames.TRANSPORT, answer.toString());
            reply(r);
        });
    }

    /**
     * PLAY of a film: {@code Range: npt=T-} moves to the keyframe at or before T; no Range starts at the
     * beginning or resumes after PAUSE. The answer says where playing really starts (Range and RTP-Info)
     * and leaves before the first packet. {@code Scale} above 1 fast-forwards on keyframes (see
     * {@link PlayScale}); the answer says the speed applied. Reverse play answers 456.
     */
    private void playFilm(FullHttpRequest request, RtspServerSession session) throws RtspStatusException {
        Film film = session.film;
        Long startUs = null;
        String rangeHeader = request.headers().get(RtspHeaderNames.RANGE);
        if (rangeHeader != null) {
            Range range;
            try {
                range = Range.parse(rangeHeader);
            } catch (IllegalArgumentException e) {
                throw new RtspStatusException(RtspResponseStatuses.INVALID_RANGE, e.getMessage());
            }
            if (range.startSeconds() != null) {
                startUs = Math.round(range.startSeconds() * 1e6);
                if (startUs < 0 || (film.durationUs() > 0 && startUs >= film.durationUs())) {
                    throw new RtspStatusException(RtspResponseStatuses.INVALID_RANGE,
                            "the film is " + film.durationUs() / 1e6 + " s long");
                }
            }
        }
        int requestedScale;
        try {
            requestedScale = PlayScale.parse(request.headers().get("Scale"));
        } catch (IllegalArgumentException e) {
            throw new RtspStatusException(RtspResponseStatuses.HEADER_FIELD_NOT_VALID, e.getMessage());
        }
        session.states.onPlay();
        session.touch(server.nanoClock.getAsLong());
        FilmLibrary films = server.films;
        ReaderTransport transport = session.filmViewer == null ? readerTransport(session) : null;
        boolean[] subscribed = subscribed(session);
        String base = contentBase(request.uri());
        boolean scaled = request.headers().contains("Scale");
        Long at = startUs;
        request.retain();
        films.execute(() -> {
            if (session.isClosed()) {
                request.release();
                return;
            }
            FilmViewer viewer = session.filmViewer;
            if (viewer == null) {
                viewer = films.openViewer(film, session.id, transport, subscribed,
                        reason -> channel.eventLoop().execute(() -> onReaderClosed(session, reason)));
                session.filmViewer = viewer;
                long nowNs = server.nanoClock.getAsLong();
                UdpMediaEndpoint.PacketSink rtcpSink = (packet, timeNs) -> session.touch(timeNs);
                session.readerRtcpSink = rtcpSink;
                for (TrackSetup s : session.setups) {
                    if (s != null && !s.tcp()) {
                        server.udp.registerRtcpSource(s.rtcpAddress(), rtcpSink);
                    }
                }
                session.touch(nowNs);
            }
            FilmViewer target = viewer;
            target.play(at, requestedScale, new FilmViewer.PlayAnswer() {
                @Override
                public void playing(long startUs, int[] sequenceNumbers, long[] rtpTimestamps) {
                    FullHttpResponse r = withSession(response(request, HttpResponseStatus.OK), session);
                    r.headers().set(RtspHeaderNames.RANGE, String.format(Locale.ROOT, "npt=%.3f-%.3f",
                            startUs / 1e6, film.durationUs() / 1e6));
                    if (scaled || target.scale() != 1) {
                        r.headers().set("Scale", PlayScale.format(target.scale()));
                    }
                    StringBuilder rtpInfo = new StringBuilder();
                    for (int i = 0; i < session.setups.length; i++) {
                        if (session.setups[i] != null) {
                            if (rtpInfo.length() > 0) {
                                rtpInfo.append(',');
                            }
                            rtpInfo.append("url=").append(base).append("trackID=").append(i)
                                    .append(";seq=").append(sequenceNumbers[i])
                                    .append(";rtptime=").append(rtpTimestamps[i]);
                        }
                    }
                    r.headers().set(RtspHeaderNames.RTP_INFO, rtpInfo.toString());
                    reply(r);
                    request.release();
                }

                @Override
                public void failed(String reason) {
                    log.warn("rtsp {}: session {} vod/{} cannot play: {}", channel.remoteAddress(), session.id,
                            film.fid(), reason);
                    reply(withSession(response(request, HttpResponseStatus.INTERNAL_SERVER_ERROR), session));
                    request.release();
                }
            });
        });
        log.info("rtsp {}: session {} playing vod/{} from {}", channel.remoteAddress(), session.id, film.fid(),
                startUs == null ? "where it was" : startUs / 1e6 + " s");
    }

    /** The answer leaves from the media loop once the viewer has stopped, so no packet follows it. */
    private void pauseFilm(FullHttpRequest request, RtspServerSession session) {
        FullHttpResponse r = withSession(response(request, HttpResponseStatus.OK), session);
        server.films.execute(() -> {
            FilmViewer viewer = session.filmViewer;
            if (viewer != null) {
                viewer.pause();
            }
            reply(r);
        });
    }

    private void closeFilm(RtspServerSession session) {
        FilmLibrary films = server.films;
        if (session.film == null || films == null) {
            return;
        }
        TrackSetup[] setups = session.setups;
        films.execute(() -> {
            FilmViewer viewer = session.filmViewer;
            if (viewer == null) {
                return;
            }
            session.filmViewer = null;
            viewer.close();
            UdpMediaEndpoint.PacketSink rtcpSink = session.readerRtcpSink;
            for (TrackSetup s : setups) {
                if (s != null && !s.tcp() && rtcpSink != null) {
                    server.udp.unregisterRtcpSource(s.rtcpAddress(), rtcpSink);
                }
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------
    // Sessions

    private void register(RtspServerSession session) {
        server.sessions.put(session.id, session);
        sessions.add(session);
        session.closer = reason -> channel.eventLoop().execute(() -> closeSession(session, reason));
    }

    private void requireSessionRoom() throws RtspStatusException {
        if (server.sessions.size() >= server.config.maxSessions()) {
            throw new RtspStatusException(RtspResponseStatuses.NOT_ENOUGH_BANDWIDTH,
                    "the node has " + server.config.maxSessions() + " sessions (maxSessions)");
        }
    }

    /** Connection loop: ends a session and frees what it holds. Idempotent. */
    void closeSession(RtspServerSession session, String reason) {
        if (!session.markClosed()) {
            return;
        }
        server.sessions.remove(session.id, session);
        sessions.remove(session);
        for (int i = 0; i < routes.length; i++) {
            if (routes[i] != null && routes[i].session == session) {
                routes[i] = null;
            }
        }
        closeFilm(session);
        LiveStream stream = session.stream;
        if (session.role == RtspServerSession.Role.PUBLISHER && stream != null) {
            TrackSetup[] setups = session.setups;
            UdpMediaEndpoint.PacketSink[] rtpSinks = session.rtpSinks;
            UdpMediaEndpoint.PacketSink[] rtcpSinks = session.rtcpSinks;
            server.udp.execute(() -> {
                for (int i = 0; i < setups.length; i++) {
                    if (rtpSinks[i] != null) {
                        server.udp.unregisterRtpSource(setups[i].rtpAddress(), rtpSinks[i]);
                        server.udp.unregisterRtcpSource(setups[i].rtcpAddress(), rtcpSinks[i]);
                    }
                }
                stream.end(reason);
                server.paths.release(stream);
            });
        } else {
            stopReading(session);
        }
        log.info("rtsp {}: session {} {} closed ({})", channel.remoteAddress(), session.id, session.room(), reason);
    }

    private void stopReading(RtspServerSession session) {
        LiveReader reader = session.reader;
        if (reader == null) {
            return;
        }
        session.reader = null;
        LiveStream stream = session.stream;
        UdpMediaEndpoint.PacketSink rtcpSink = session.readerRtcpSink;
        TrackSetup[] setups = session.setups;
        server.udp.execute(() -> {
            stream.removeReader(reader);
            for (TrackSetup s : setups) {
                if (s != null && !s.tcp()) {
                    server.udp.unregisterRtcpSource(s.rtcpAddress(), rtcpSink);
                }
            }
        });
    }

    /** A reader's stream ended or the reader stalled: its session ends, and the connection if it carried only it. */
    private void onReaderClosed(RtspServerSession session, String reason) {
        closeSession(session, reason);
        if (sessions.isEmpty()) {
            channel.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Helpers

    private RtspServerSession optionalSession(FullHttpRequest request) throws RtspStatusException {
        String header = request.headers().get(RtspHeaderNames.SESSION);
        if (header == null) {
            return null;
        }
        String id = SessionHeader.parse(header).id();
        RtspServerSession session = server.sessions.get(id);
        if (session == null) {
            throw new RtspStatusException(RtspResponseStatuses.SESSION_NOT_FOUND, "no session " + id);
        }
        return session;
    }

    private RtspServerSession requiredSession(FullHttpRequest request) throws RtspStatusException {
        RtspServerSession session = optionalSession(request);
        if (session == null) {
            // No session is the INITIAL state, where only OPTIONS, DESCRIBE, ANNOUNCE and SETUP are valid.
            throw new RtspStatusException(RtspResponseStatuses.METHOD_NOT_VALID,
                    request.method() + " needs a session: SETUP first");
        }
        return session;
    }

    private void touchSessionIfAny(FullHttpRequest request) {
        String header = request.headers().get(RtspHeaderNames.SESSION);
        if (header != null) {
            RtspServerSession s = server.sessions.get(SessionHeader.parse(header).id());
            if (s != null) {
                s.touch(server.nanoClock.getAsLong());
            }
        }
    }

    private static String uidOf(RtspUrl url) throws RtspStatusException {
        try {
            return url.uid();
        } catch (IllegalArgumentException e) {
            throw new RtspStatusException(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
    }

    /** The uid of a SETUP's URL, else of this connection's DESCRIBE of the same room, else null. */
    private String viewerUid(RtspUrl url) throws RtspStatusException {
        String uid = uidOf(url);
        if (uid != null) {
            return uid;
        }
        String room = roomOf(url);
        return room != null && room.equals(describedRoom) ? describedUid : null;
    }

    /** {@code vod/FID} or {@code live/NAME}, or null for another path. */
    private static String roomOf(RtspUrl url) {
        if (isFilm(url)) {
            return "vod/" + filmId(url);
        }
        return url.isLive() ? "live/" + url.liveName() : null;
    }

    /**
     * PLAY and PAUSE act on the session's own presentation: a URL of another path on this session is a
     * mistake to refuse (as gortsplib does), not a switch, which would need a new SETUP.
     */
    private static void requireOwnPresentation(FullHttpRequest request, RtspServerSession session)
            throws RtspStatusException {
        String asked = roomOf(parseUrl(request));
        if (asked != null && !session.room().equals("-") && !asked.equals(session.room())) {
            throw new RtspStatusException(HttpResponseStatus.BAD_REQUEST,
                    "session " + session.id + " is set up for " + session.room() + ", not " + asked);
        }
    }

    private static RtspUrl parseUrl(FullHttpRequest request) throws RtspStatusException {
        try {
            return RtspUrl.parse(request.uri());
        } catch (IllegalArgumentException e) {
            throw new RtspStatusException(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private LiveStream liveStream(RtspUrl url) throws RtspStatusException {
        if (!url.isLive()) {
            throw new RtspStatusException(HttpResponseStatus.NOT_FOUND, "no such path");
        }
        LiveStream stream = server.paths.live(url.liveName());
        if (stream == null) {
            throw new RtspStatusException(HttpResponseStatus.NOT_FOUND, "nobody is publishing live/" + url.liveName());
        }
        return stream;
    }

    private static int readerTrack(LiveStream stream, RtspUrl url) throws RtspStatusException {
        String control = url.trackControl();
        if (control == null) {
            if (stream.trackCount() == 1) {
                return 0;
            }
            throw new RtspStatusException(HttpResponseStatus.NOT_FOUND, "SETUP names no track");
        }
        if (control.startsWith("trackID=")) {
            try {
                int track = Integer.parseInt(control.substring("trackID=".length()));
                if (track >= 0 && track < stream.trackCount()) {
                    return track;
                }
            } catch (NumberFormatException ignored) {
                // falls through to 404
            }
        }
        throw new RtspStatusException(HttpResponseStatus.NOT_FOUND, "no track " + control);
    }

    private static int publisherTrack(LiveStream stream, RtspUrl url) throws RtspStatusException {
        String control = url.trackControl();
        int n = stream.trackCount();
        for (int i = 0; i < n; i++) {
            String announced = stream.tracks().get(i).media().control();
            if (announced != null && control != null
                    && (announced.equals(control) || announced.endsWith("/" + control))) {
                return i;
            }
        }
        if (n == 1 && (control == null || stream.tracks().get(0).media().control() == null)) {
            return 0;
        }
        throw new RtspStatusException(HttpResponseStatus.NOT_FOUND, "no announced track " + control);
    }

    private static Transport chooseTransport(String header) throws RtspStatusException {
        List<Transport> offers;
        try {
            offers = Transport.parseList(header);
        } catch (IllegalArgumentException e) {
            throw new RtspStatusException(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, "bad Transport: " + e.getMessage());
        }
        for (Transport t : offers) {
            boolean rtp = "RTP".equalsIgnoreCase(t.protocol());
            boolean profile = "AVP".equalsIgnoreCase(t.profile()) || "AVPF".equalsIgnoreCase(t.profile());
            boolean lower = "UDP".equalsIgnoreCase(t.lowerTransport()) || "TCP".equalsIgnoreCase(t.lowerTransport());
            boolean udpWithPorts = isTcp(t) || t.clientPort() != null;
            if (rtp && profile && lower && !t.multicast() && udpWithPorts) {
                return t;
            }
        }
        throw new RtspStatusException(RtspResponseStatuses.UNSUPPORTED_TRANSPORT,
                "supported: RTP/AVP[F] unicast over UDP with client_port, or RTP/AVP[F]/TCP interleaved");
    }

    private static boolean isTcp(Transport t) {
        return "TCP".equalsIgnoreCase(t.lowerTransport());
    }

    /**
     * Sets up one track of a session on the chosen transport: interleaved channels routed on this
     * connection, or the client's UDP ports at the RTSP peer's address. Answers the Transport to send back.
     */
    private Transport bindTransport(RtspServerSession session, int track, Transport transport)
            throws RtspStatusException {
        if (isTcp(transport)) {
            int[] channels = interleavedChannels(transport, track);
            routes[channels[0]] = new InterleavedRoute(session, track, false);
            routes[channels[1]] = new InterleavedRoute(session, track, true);
            session.setups[track] = TrackSetup.interleaved(channels[0], channels[1]);
            return transport.withInterleaved(channels[0], channels[1]);
        }
        InetSocketAddress[] addresses = clientAddresses(transport);
        session.setups[track] = TrackSetup.udp(addresses[0], addresses[1]);
        return transport.withServerPort(server.config.rtpPort(), server.config.rtcpPort());
    }

    private int[] interleavedChannels(Transport transport, int track) throws RtspStatusException {
        int[] asked = transport.interleaved();
        if (asked != null) {
            if (asked[0] < 0 || asked[0] > 255 || asked[1] < 0 || asked[1] > 255 || asked[0] == asked[1]) {
                throw new RtspStatusException(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, "bad interleaved channels");
            }
            if (routes[asked[0]] != null || routes[asked[1]] != null) {
                throw new RtspStatusException(RtspResponseStatuses.UNSUPPORTED_TRANSPORT,
                        "interleaved channels " + asked[0] + "-" + asked[1] + " are taken on this connection");
            }
            return asked;
        }
        for (int c = 2 * track; c + 1 < routes.length; c += 2) {
            if (routes[c] == null && routes[c + 1] == null) {
                return new int[] {c, c + 1};
            }
        }
        throw new RtspStatusException(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, "no free interleaved channels");
    }

    /** UDP peers are always at the RTSP peer's IP: a {@code destination} elsewhere would make us a traffic cannon. */
    private InetSocketAddress[] clientAddresses(Transport transport) {
        int[] ports = transport.clientPort();
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        return new InetSocketAddress[] {
                new InetSocketAddress(remote.getAddress(), ports[0]),
                new InetSocketAddress(remote.getAddress(), ports[1])};
    }

    private ReaderTransport readerTransport(RtspServerSession session) {
        TrackSetup[] setups = session.setups;
        int n = setups.length;
        boolean tcp = false;
        for (TrackSetup s : setups) {
            tcp |= s != null && s.tcp();
        }
        if (tcp) {
            int[] rtp = new int[n];
            int[] rtcp = new int[n];
            for (int i = 0; i < n; i++) {
                rtp[i] = setups[i] == null ? -1 : setups[i].rtpChannel();
                rtcp[i] = setups[i] == null ? -1 : setups[i].rtcpChannel();
            }
            return new TcpReaderTransport(channel, rtp, rtcp, server.config.readerStallTimeout().toNanos());
        }
        InetSocketAddress[] rtp = new InetSocketAddress[n];
        InetSocketAddress[] rtcp = new InetSocketAddress[n];
        for (int i = 0; i < n; i++) {
            rtp[i] = setups[i] == null ? null : setups[i].rtpAddress();
            rtcp[i] = setups[i] == null ? null : setups[i].rtcpAddress();
        }
        return new UdpReaderTransport(server.udp, rtp, rtcp);
    }

    /**
     * RTSP has no SDP answer, so nothing tells which retransmission form a reader takes: GStreamer's
     * rtspsrc (do-retransmission) wants RFC 4588 RTX, ffmpeg the original packets. The User-Agent does.
     */
    private boolean wantsRtx(FullHttpRequest request) {
        String agent = request.headers().get(RtspHeaderNames.USER_AGENT);
        if (agent == null) {
            return false;
        }
        for (String known : server.config.rtxUserAgents()) {
            if (agent.contains(known)) {
                return true;
            }
        }
        return false;
    }

    private static boolean[] subscribed(RtspServerSession session) {
        boolean[] s = new boolean[session.setups.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = session.setups[i] != null;
        }
        return s;
    }

    private static String rtpInfo(String base, long[] startPoints, TrackSetup[] setups) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < startPoints.length; i++) {
            if (setups[i] == null || startPoints[i] < 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append("url=").append(base).append("trackID=").append(i)
                    .append(";seq=").append(startPoints[i] >>> 32)
                    .append(";rtptime=").append(startPoints[i] & 0xFFFFFFFFL);
        }
        return sb.toString();
    }

    /**
     * The request URL without its query, ending in a slash: what track controls resolve against. A query
     * that chooses what to play ({@code ?format=mp2t}) stays, so that SETUP and PLAY carry it too.
     */
    private static String contentBase(String uri) {
        int q = uri.indexOf('?');
        boolean keepQuery = q >= 0 && ReaderPresentation.wantsTransportStream(RtspUrl.parse(uri));
        String base = q < 0 || keepQuery ? uri : uri.substring(0, q);
        return base.endsWith("/") ? base : base + "/";
    }

    private String localHost() {
        return ((InetSocketAddress) channel.localAddress()).getAddress().getHostAddress();
    }

    private String remoteHost() {
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        return remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }

    private static FullHttpResponse response(FullHttpRequest request, HttpResponseStatus status) {
        return response(request, status, Unpooled.EMPTY_BUFFER);
    }

    private static FullHttpResponse response(FullHttpRequest request, HttpResponseStatus status, ByteBuf body) {
        FullHttpResponse r = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status, body);
        HttpHeaders h = r.headers();
        String cseq = request.headers().get(RtspHeaderNames.CSEQ);
        if (cseq != null) {
            h.set(RtspHeaderNames.CSEQ, cseq);
        }
        h.set(RtspHeaderNames.SERVER, SERVER);
        h.setInt(RtspHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return r;
    }

    private FullHttpResponse withSession(FullHttpResponse r, RtspServerSession session) {
        if (session != null) {
            r.headers().set(RtspHeaderNames.SESSION,
                    session.id + ";timeout=" + server.config.sessionTimeout().toSeconds());
        }
        return r;
    }

    private void reply(FullHttpResponse response) {
        channel.writeAndFlush(response);
    }
}

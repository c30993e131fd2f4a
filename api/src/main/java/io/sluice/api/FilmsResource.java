package io.sluice.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.api.view.FilmView;
import io.sluice.node.MediaNode;
import io.sluice.node.vod.FilmSummary;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@code /api/v1/films}: the film library, indexed in the background, with each film's viewers now. */
public final class FilmsResource {

    private final MediaNode node;

    public FilmsResource(MediaNode node) {
        this.node = node;
    }

    public void register(ApiRouter router) {
        router.add(Endpoint.get("/api/v1/films", "Every film of the library: fid (its path under the media "
                + "directory), title, duration, codecs, size and viewers now").returns(Types.listOf(FilmView.class)),
                this::list);
    }

    private ApiResponse list(ApiRequest request) {
        String base = "rtsp://" + StreamsResource.hostOf(request.header(HttpHeaderNames.HOST)) + ":"
                + node.rtspPort() + "/vod/";
        List<FilmView> films = new ArrayList<>();
        for (FilmSummary f : node.films().films()) {
            films.add(new FilmView(f.fid(), f.title(), f.durationSeconds(), f.codecs(), f.sizeBytes(), f.viewers(),
                    base + encodePath(f.fid())));
        }
        return ApiResponse.ok(films);
    }

    private static String encodePath(String fid) {
        StringBuilder out = new StringBuilder();
        for (String segment : fid.split("/")) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }
}

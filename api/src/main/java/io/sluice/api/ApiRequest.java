package io.sluice.api;

import io.netty.handler.codec.http.FullHttpRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One HTTP call as a route sees it: the request, the path's variables and who sent it. */
public record ApiRequest(FullHttpRequest http, Map<String, String> pathVariables, InetSocketAddress remote) {

    public boolean fromLoopback() {
        return remote != null && remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
    }

    public String header(CharSequence name) {
        return http.headers().get(name);
    }

    public String variable(String name) {
        return pathVariables.get(name);
    }

    public String bodyText() {
        return http.content().toString(StandardCharsets.UTF_8);
    }
}

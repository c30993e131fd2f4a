package io.sluice.api;

import io.netty.handler.codec.http.FullHttpRequest;
import java.net.InetSocketAddress;
import java.util.Map;

/** One HTTP call as a route sees it: the request, the path's variables and who sent it. */
public record ApiRequest(FullHttpRequest http, Map<String, String> pathVariables, InetSocketAddress remote) {

    public boolean fromLoopback() {
        return remote != null && remote.getAddress().isLoopbackAddress();
    }
}

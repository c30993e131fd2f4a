package io.sluice.api;

import io.netty.handler.codec.http.HttpMethod;
import java.lang.reflect.Type;

/**
 * What the router knows of one route besides its handler: enough to check access and to describe the
 * route in the OpenAPI document, which is generated from these and never written by hand.
 *
 * @param admin        the call needs admin rights (a bearer token, or loopback when trusted)
 * @param requestBody  the JSON body's type, or null for none
 * @param responseBody the success body's type (a record, a {@code List<Record>} or a Map), or null for none
 * @param contentType  the success body's media type
 * @param status       the success status code
 * @param documented   false for routes outside the API (the dashboard's files)
 */
public record Endpoint(HttpMethod method, String path, String summary, boolean admin, Type requestBody,
                       Type responseBody, String contentType, int status, boolean documented) {

    public static Endpoint get(String path, String summary) {
        return new Endpoint(HttpMethod.GET, path, summary, false, null, null, "application/json", 200, true);
    }

    public static Endpoint post(String path, String summary) {
        return new Endpoint(HttpMethod.POST, path, summary, true, null, null, "application/json", 200, true);
    }

    public static Endpoint patch(String path, String summary) {
        return new Endpoint(HttpMethod.PATCH, path, summary, true, null, null, "application/json", 200, true);
    }

    public static Endpoint delete(String path, String summary) {
        return new Endpoint(HttpMethod.DELETE, path, summary, true, null, null, "application/json", 204, true);
    }

    public Endpoint adminOnly() {
        return new Endpoint(method, path, summary, true, requestBody, responseBody, contentType, status, documented);
    }

    public Endpoint body(Type type) {
        return new Endpoint(method, path, summary, admin, type, responseBody, contentType, status, documented);
    }

    public Endpoint returns(Type type) {
        return new Endpoint(method, path, summary, admin, requestBody, type, contentType, status, documented);
    }

    public Endpoint returns(int statusCode, Type type) {
        return new Endpoint(method, path, summary, admin, requestBody, type, contentType, statusCode, documented);
    }

    public Endpoint produces(String mediaType) {
        return new Endpoint(method, path, summary, admin, requestBody, responseBody, mediaType, status, documented);
    }

    public Endpoint undocumented() {
        return new Endpoint(method, path, summary, admin, requestBody, responseBody, contentType, status, false);
    }
}

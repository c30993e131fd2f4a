package io.sluice.api.openapi;

import io.sluice.api.Endpoint;
import io.sluice.api.view.ErrorView;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the OpenAPI 3.1 document of the API from the router's endpoints: paths and operations from
 * the route table, schemas from the records the routes take and answer, by reflection. Nothing in it is
 * written by hand, so it cannot drift from the code.
 */
public final class OpenApiDocument {

    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}]+)}");
    private static final String SCHEMA_REF = "#/components/schemas/";

    private final Map<String, Object> schemas = new TreeMap<>();

    private OpenApiDocument() {
    }

    public static Map<String, Object> generate(String title, String version, List<Endpoint> endpoints) {
        return new OpenApiDocument().build(title, version, endpoints);
    }

    private Map<String, Object> build(String title, String version, List<Endpoint> endpoints) {
        Map<String, Object> paths = new TreeMap<>();
        Map<String, Object> errorRef = schemaOf(ErrorView.class);
        for (Endpoint e : endpoints) {
            if (!e.documented()) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(e.path(), k -> new LinkedHashMap<>());
            item.put(e.method().name().toLowerCase(Locale.ROOT), operation(e, errorRef));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", title, "version", version));
        doc.put("paths", paths);
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("schemas", schemas);
        components.put("securitySchemes", Map.of("adminToken", Map.of("type", "http", "scheme", "bearer",
                "description", "--api-token, or the data directory's api-token file; loopback callers need none "
                        + "unless --api-loopback-trust=false")));
        doc.put("components", components);
        return doc;
    }

    private Map<String, Object> operation(Endpoint e, Map<String, Object> errorRef) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("summary", e.summary());
        op.put("operationId", operationId(e));
        List<Object> parameters = new ArrayList<>();
        Matcher m = PATH_VARIABLE.matcher(e.path());
        while (m.find()) {
            parameters.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        if (!parameters.isEmpty()) {
            op.put("parameters", parameters);
        }
        if (e.requestBody() != null) {
            op.put("requestBody", Map.of("required", true,
                    "content", Map.of("application/json", Map.of("schema", schemaOf(e.requestBody())))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        Map<String, Object> success = new LinkedHashMap<>();
        success.put("description", e.status() == 204 ? "done, no body" : "success");
        if (e.responseBody() != null) {
            success.put("content", Map.of(e.contentType(), Map.of("schema", schemaOf(e.responseBody()))));
        }
        responses.put(Integer.toString(e.status()), success);
        responses.put("4XX", Map.of("description", "the call was refused: bad input (400), no credentials (401), "
                + "not allowed (403), no such thing (404)", "content", Map.of("application/json", Map.of("schema", errorRef))));
        op.put("responses", responses);
        if (e.admin()) {
            op.put("security", List.of(Map.of("adminToken", List.of())));
        }
        return op;
    }

    private static String operationId(Endpoint e) {
        StringBuilder sb = new StringBuilder(e.method().name().toLowerCase(Locale.ROOT));
        for (String segment : e.path().split("/")) {
            if (segment.isEmpty() || segment.equals("api") || segment.equals("v1")) {
                continue;
            }
            String word = segment.startsWith("{") ? "By" + capitalize(segment.substring(1, segment.length() - 1)) : segment;
            sb.append(capitalize(word.replace(".", "")));
        }
        return sb.toString();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The schema of a Java type; records become named components referenced by {@code $ref}. */
    Map<String, Object> schemaOf(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return Map.of("type", "array", "items", schemaOf(args[0]));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Map.of("type", "object", "additionalProperties", schemaOf(args[1]));
            }
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class || c == Path.class) {
            return Map.of("type", "string");
        }
        if (c == int.class || c == long.class) {
            return Map.of("type", "integer", "format", c == int.class ? "int32" : "int64");
        }
        if (c == Integer.class || c == Long.class) {
            return Map.of("type", List.of("integer", "null"), "format", c == Integer.class ? "int32" : "int64");
        }
        if (c == double.class || c == float.class) {
            return Map.of("type", "number");
        }
        if (c == Double.class || c == Float.class) {
            return Map.of("type", List.of("number", "null"));
        }
        if (c == boolean.class || c == Boolean.class) {
            return Map.of("type", "boolean");
        }
        if (c.isEnum()) {
            return Map.of("type", "string", "enum", Arrays.stream(c.getEnumConstants()).map(Object::toString).toList());
        }
        if (Map.class.isAssignableFrom(c)) {
            return Map.of("type", "object", "additionalProperties", true);
        }
        if (List.class.isAssignableFrom(c)) {
            return Map.of("type", "array");
        }
        if (c.isRecord()) {
            String name = c.getSimpleName();
            if (!schemas.containsKey(name)) {
                Map<String, Object> schema = new LinkedHashMap<>();
                schemas.put(name, schema);
                Map<String, Object> properties = new LinkedHashMap<>();
                List<String> required = new ArrayList<>();
                for (RecordComponent rc : c.getRecordComponents()) {
                    properties.put(rc.getName(), schemaOf(rc.getGenericType()));
                    // Every component is written, null or not: nullable ones say so in their type.
                    required.add(rc.getName());
                }
                schema.put("type", "object");
                schema.put("properties", properties);
                if (!required.isEmpty()) {
                    schema.put("required", required);
                }
            }
            return Map.of("$ref", SCHEMA_REF + name);
        }
        if (c == Object.class) {
            return Map.of();
        }
        throw new IllegalArgumentException("no schema for " + c.getName() + ": use a record, a List, a Map or a scalar");
    }
}

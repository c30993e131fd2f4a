package io.sluice.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Reads request bodies; anything malformed becomes a 400 that says what was wrong. A body is one JSON value and
 * nothing after it, and an object names each field once: a second value after the first, or a field given twice,
 * would otherwise be silently dropped or silently win, and the request would act on something its sender did not
 * mean. A text field takes only a JSON string: {@code {"liveId":5}} is a mistake to report, not the name "5".
 */
public final class JsonBodies {

    private final ObjectReader json;

    public JsonBodies(ObjectMapper json) {
        ObjectMapper strict = json.copy();
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        this.json = strict.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    public <T> T read(ApiRequest request, Class<T> type) {
        String text = request.bodyText();
        if (text.isBlank()) {
            throw ApiException.badRequest("a JSON body is required");
        }
        try {
            T value = json.forType(type).readValue(text);
            if (value == null) {
                throw ApiException.badRequest("a JSON object is required, not null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown field \"" + e.getPropertyName() + "\"");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** The body as an object node, for PATCH documents whose keys are data. */
    public JsonNode readObject(ApiRequest request) {
        String text = request.bodyText();
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        }
    }
}

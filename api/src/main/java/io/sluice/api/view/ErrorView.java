package io.sluice.api.view;

/** Every error the API answers: a stable code and a sentence for people. */
public record ErrorView(String error, String detail) {
}

package io.azt3knet.mail.mailjet;

import static io.azt3knet.mail.mailjet.internal.LenientJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of {@code POST /v3/REST/sender/{id}/validate}. Mailjet answers 200 whether or not validation
 * succeeded: {@link #validationMethod()} is empty when it failed, and {@link #globalError()} and
 * {@link #errors()} say why.
 *
 * @param validationMethod {@code DNS} or {@code File} (catch-all), {@code Domain}, {@code ActivationEmail}, or
 *     empty on failure
 * @param globalError Mailjet's summary of the failure, may be empty
 * @param errors Mailjet's errors by kind ({@code DNSValidationError}, {@code FileValidationError})
 */
public record MailjetSenderValidation(String validationMethod, String globalError, Map<String, String> errors) {

    /** Validates that nothing is null. */
    public MailjetSenderValidation {
        Objects.requireNonNull(validationMethod, "validationMethod");
        Objects.requireNonNull(globalError, "globalError");
        errors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }

    /** @return whether Mailjet validated the sender */
    public boolean isValidated() {
        return !validationMethod.isBlank();
    }

    static MailjetSenderValidation from(JsonNode n) {
        Map<String, String> errors = new LinkedHashMap<>();
        JsonNode e = n.get("Errors");
        if (e != null && e.isObject()) {
            e.properties().forEach(f -> {
                String v = f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString();
                if (!v.isBlank()) {
                    errors.put(f.getKey(), v);
                }
            });
        }
        return new MailjetSenderValidation(text(n, "ValidationMethod"), text(n, "GlobalError"), errors);
    }
}

package io.azt3knet.mail.mailjet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azt3knet.mail.internal.http.ErrorDecoder;
import io.azt3knet.mail.internal.http.ProviderError;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * Reads Mailjet's error shapes: the v3 REST body {@code {"ErrorInfo": "", "ErrorMessage": ..., "StatusCode": 400}}
 * where {@code ErrorMessage} may be an object (bulk actions), the 500 body's {@code ErrorIdentifier} (kept as the
 * request id to quote to Mailjet's support), the v3.1 {@code {"Errors": [{"ErrorIdentifier", "ErrorMessage"}]}}
 * shape, and empty or HTML bodies (status and standard reason kept, since Mailjet's reason phrase is not
 * reachable through {@code java.net.http}).
 */
public final class MailjetErrorDecoder implements ErrorDecoder {

    /** The decoder; stateless. */
    public static final MailjetErrorDecoder INSTANCE = new MailjetErrorDecoder();

    private static final int MAX_MESSAGE = 500;

    private MailjetErrorDecoder() {
    }

    /** What a 401 adds: the variables to check, as the error of every other provider names its credential. */
    static final String CHECK_KEY_PAIR = " (check MAILJET_API_KEY and MAILJET_API_SECRET)";

    @Override
    public ProviderError decode(int status, HttpHeaders headers, byte[] body, ObjectMapper mapper) {
        ProviderError error = decodeBody(status, body, mapper);
        // Mailjet answers 401 for a wrong or inactive key pair; its message names no setting
        return status == 401 ? new ProviderError(error.message() + CHECK_KEY_PAIR, error.requestId()) : error;
    }

    private ProviderError decodeBody(int status, byte[] body, ObjectMapper mapper) {
        Optional<JsonNode> json = ErrorDecoder.parseJson(body, mapper).filter(JsonNode::isObject);
        if (json.isEmpty()) {
            return new ProviderError(ErrorDecoder.fallback(status, body), Optional.empty());
        }
        JsonNode root = json.get();
        JsonNode source = root;
        JsonNode errors = root.get("Errors");
        if (errors != null && errors.isArray() && !errors.isEmpty() && errors.get(0).isObject()) {
            source = errors.get(0);
        }
        String message = LenientJson.text(source, "ErrorMessage").strip();
        String info = LenientJson.text(source, "ErrorInfo").strip();
        if (!info.isEmpty() && !info.equals(message)) {
            message = message.isEmpty() ? info : message + " (" + info + ")";
        }
        if (message.isEmpty()) {
            message = ErrorDecoder.firstText(source, "message", "error").orElse(ErrorDecoder.fallback(status, body));
        }
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        String id = LenientJson.text(source, "ErrorIdentifier").strip();
        return new ProviderError(message, id.isEmpty() ? Optional.empty() : Optional.of(id));
    }
}

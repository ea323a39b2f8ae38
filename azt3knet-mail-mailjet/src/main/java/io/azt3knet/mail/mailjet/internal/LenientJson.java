package io.azt3knet.mail.mailjet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads fields of Mailjet's JSON whatever their JSON type: numbers and booleans come as strings in the
 * documentation ({@code "ID": "1"}, {@code "IsCheckInProgress": "false"}) and natively in real responses.
 * A missing or null field reads as empty, zero or false.
 */
public final class LenientJson {

    private LenientJson() {
    }

    /**
     * @param node an object
     * @param field a field name
     * @return its value as text; {@code ""} when missing or null
     */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /**
     * @param node an object
     * @param field a field name
     * @return its value as a number, whether a JSON number or a numeric string; 0 when missing, empty or not a number
     */
    public static long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        String s = v.asText().strip();
        if (!s.matches("-?[0-9]{1,18}")) {
            return 0;
        }
        return Long.parseLong(s);
    }

    /**
     * @param node an object
     * @param field a field name
     * @return whether it is {@code true}, {@code "true"} or {@code "1"} (any case)
     */
    public static boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        String s = v.asText().strip().toLowerCase(Locale.ROOT);
        return s.equals("true") || s.equals("1");
    }

    /**
     * @param node an object
     * @param field a field name
     * @return an array's elements as text, or a lone non-empty string as one element; empty otherwise
     */
    public static List<String> strings(JsonNode node, String field) {
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            v.forEach(e -> {
                if (!e.isNull()) {
                    out.add(e.isValueNode() ? e.asText() : e.toString());
                }
            });
        } else if (!v.asText().isEmpty()) {
            out.add(v.isValueNode() ? v.asText() : v.toString());
        }
        return List.copyOf(out);
    }

    /**
     * @param root a Mailjet response {@code {"Count": n, "Data": [...], "Total": n}}
     * @return the {@code Data} elements; empty if there are none
     */
    public static List<JsonNode> data(JsonNode root) {
        JsonNode data = root.get("Data");
        List<JsonNode> out = new ArrayList<>();
        if (data != null && data.isArray()) {
            data.forEach(out::add);
        }
        return out;
    }
}

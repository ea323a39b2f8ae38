package io.azt3knet.mail.internal.util;

/**
 * Makes a caller-supplied value safe to put in a log line: one line, no terminal control sequences, bounded.
 * Every value that came from outside (a recipient, a subject, an address a provider returned, an exception
 * message quoting one) goes through {@link #escape(Object)} before it reaches a log call, so that a value
 * holding {@code "\n2026-01-01 INFO forged line"} cannot forge a log entry.
 */
public final class LogText {

    /** Longest escaped value; longer ones are cut and end with {@code ...}. */
    public static final int MAX_LENGTH = 512;

    private LogText() {
    }

    /**
     * Escapes CR and LF as {@code \r} and {@code \n}, a backslash as {@code \\}, and every other control or
     * format character (C0, DEL, C1, line and paragraph separators, bidirectional overrides) as
     * {@code \}{@code uXXXX}.
     *
     * @param value the value, may be {@code null} (gives {@code "null"})
     * @return the escaped value, at most {@link #MAX_LENGTH} characters plus {@code ...}
     */
    public static String escape(@org.jspecify.annotations.Nullable Object value) {
        String s = String.valueOf(value);
        int limit = Math.min(s.length(), MAX_LENGTH);
        StringBuilder out = null;
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            String replacement = replacement(c);
            if (replacement != null && out == null) {
                out = new StringBuilder(limit + 16).append(s, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        String escaped = out == null ? s.substring(0, limit) : out.toString();
        return s.length() > MAX_LENGTH ? escaped + "..." : escaped;
    }

    /**
     * A stand-in for a throwable, to pass as the last argument of a log call: the same class name, stack trace,
     * causes and suppressed throwables, but every message escaped as by {@link #escape(Object)}. A provider's error
     * text or a parser's complaint quoting the payload can hold CR and LF; logged as is, the first line of its
     * stack trace would forge a log entry.
     *
     * @param t the throwable
     * @return a throwable that prints like {@code t}, on escaped lines
     */
    public static Throwable escaped(Throwable t) {
        return escaped(t, 0);
    }

    private static Throwable escaped(Throwable t, int depth) {
        EscapedThrowable copy = new EscapedThrowable(t.getClass().getName()
                + (t.getMessage() == null ? "" : ": " + escape(t.getMessage())));
        copy.setStackTrace(t.getStackTrace());
        if (depth < 8) {
            Throwable cause = t.getCause();
            if (cause != null && cause != t) {
                copy.initCause(escaped(cause, depth + 1));
            }
            for (Throwable s : t.getSuppressed()) {
                copy.addSuppressed(escaped(s, depth + 1));
            }
        }
        return copy;
    }

    /** Prints as its text, with no class name of its own: the class named is the original's. */
    private static final class EscapedThrowable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EscapedThrowable(String text) {
            super(text);
        }

        @Override
        public String toString() {
            return String.valueOf(getMessage());
        }
    }

    private static @org.jspecify.annotations.Nullable String replacement(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            case '\\':
                return "\\\\";
            default:
                break;
        }
        int type = Character.getType(c);
        if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR) {
            return String.format("\\u%04x", (int) c);
        }
        return null;
    }
}

package io.azt3knet.mail.examples.cli;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads RFC 4180 CSV one record at a time, so that input of any length streams through in constant
 * memory. Fields are separated by commas and records by CRLF, LF or CR; a field in double quotes may hold
 * commas, line breaks and doubled quotes ({@code ""}). There is no header. Empty lines are skipped and a
 * leading byte-order mark is ignored. Anything else (a quote inside an unquoted field, text after a
 * closing quote, a quote never closed, a record longer than {@value #MAX_RECORD_CHARS} characters) is
 * reported as bad input naming the line. Not thread-safe.
 */
final class CsvReader {

    /** Longest record accepted; a runaway quoted field stops here instead of filling the memory. */
    static final int MAX_RECORD_CHARS = 64 * 1024;

    private static final int EOF = -1;

    private final Reader in;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private long line = 1;
    private boolean started;

    /** @param in the CSV text; read with its own buffering, so no {@code BufferedReader} is needed */
    CsvReader(Reader in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /**
     * One CSV record.
     *
     * @param line the line it starts on, from 1
     * @param fields its fields, at least one
     */
    record Record(long line, List<String> fields) {
    }

    /**
     * @return the next record, or empty at the end of the input
     * @throws CliException (bad input) if the CSV is malformed
     * @throws IOException if reading fails
     */
    Optional<Record> next() throws IOException {
        if (!started) {
            started = true;
            if (peek() == '\uFEFF') {
                read();
            }
        }
        while (peek() != EOF) {
            long start = line;
            List<String> fields = readRecord(start);
            if (!fields.isEmpty()) {
                return Optional.of(new Record(start, fields));
            }
        }
        return Optional.empty();
    }

    /**
     * @return whether more input is available without blocking (so a caller can flush its output when
     *     it would otherwise wait for input)
     * @throws IOException if the input fails
     */
    boolean ready() throws IOException {
        return position < limit || in.ready();
    }

    /** @return the record's fields, or an empty list for an empty line */
    private List<String> readRecord(long start) throws IOException {
        List<String> fields = new ArrayList<>(4);
        StringBuilder field = new StringBuilder();
        int recordChars = 0;
        boolean quoted = false;
        while (true) {
            field.setLength(0);
            int c = read();
            if (c == '"') {
                quoted = true;
                long opened = line;
                while (true) {
                    c = read();
                    if (c == EOF) {
                        throw bad(opened, "a quoted field is never closed (a \" is missing)");
                    }
                    if (c == '"') {
                        if (peek() != '"') {
                            break;
                        }
                        read();
                    } else if (c == '\n' || (c == '\r' && peek() != '\n')) {
                        line++;
                    }
                    field.append((char) c);
                    recordChars = checkLength(start, recordChars + 1);
                }
                c = read();
                if (c != ',' && c != '\n' && c != '\r' && c != EOF) {
                    throw bad(line, "text after a closing quote; inside a quoted field write a quote as \"\"");
                }
            } else {
                while (c != ',' && c != '\n' && c != '\r' && c != EOF) {
                    if (c == '"') {
                        throw bad(line, "a quote inside an unquoted field; put the field in quotes and double the quote");
                    }
                    field.append((char) c);
                    recordChars = checkLength(start, recordChars + 1);
                    c = read();
                }
            }
            fields.add(field.toString());
            if (c != ',') {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                if (c != EOF) {
                    line++;
                }
                boolean emptyLine = fields.size() == 1 && fields.get(0).isEmpty() && !quoted;
                return emptyLine ? List.of() : List.copyOf(fields);
            }
        }
    }

    private static int checkLength(long start, int chars) {
        if (chars > MAX_RECORD_CHARS) {
            throw bad(start, "the record is longer than " + MAX_RECORD_CHARS + " characters (an unclosed quote?)");
        }
        return chars;
    }

    private static CliException bad(long line, String problem) {
        return CliException.badInput("line " + line + ": malformed CSV: " + problem);
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position];
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position++];
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}

package io.azt3knet.mail.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the line of a {@code .env} file that the dotenv library refused, and says what is wrong with it, without
 * quoting it: a value may be a secret. It follows the library's grammar: blank lines and lines starting with
 * {@code #} (or {@code ////}) are skipped; an entry is {@code NAME=value}, the name made of letters, digits,
 * {@code _}, {@code .} and {@code -}; a value that opens a double quote may continue over the next lines until
 * one ends with the closing quote; a quote inside a double-quoted value must be escaped ({@code \"}), and a value
 * may not end with a double quote it did not open with; a first line whose value is a lone double quote (as in
 * {@code K="} or {@code K="#...}, the rest being a comment) is refused. One
 * thing the library lets pass is a problem here: a double quote never closed, which silently drops that
 * variable and every line after it.
 */
final class DotEnvLines {

    // the library's own entry pattern (dotenv-java 3.x DotenvParser)
    private static final Pattern ENTRY = Pattern.compile(
            "^\\s*([\\w.\\-]+)\\s*(=)\\s*(['][^']*[']|[\"][^\"]*[\"]|[^#]*)?\\s*(#.*)?$");
    private static final Pattern NAME = Pattern.compile("[\\w.\\-]+");

    private DotEnvLines() {
    }

    /**
     * @param lines the file's lines
     * @return {@code line N: what is wrong} for the first line the library refuses, if any
     */
    static Optional<String> firstProblem(List<String> lines) {
        StringBuilder entry = new StringBuilder();
        int entryStart = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNumber = i + 1;
            if (entry.length() == 0) {
                String stripped = line.strip();
                if (stripped.isEmpty() || line.startsWith("#") || line.startsWith("////")) {
                    continue;
                }
                entryStart = lineNumber;
                entry.append(line);
            } else {
                entry.append('\n').append(line);
            }
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches() || m.groupCount() < 3) {
                return Optional.of("line " + entryStart + ": " + describeMalformed(line));
            }
            String value = m.group(3) == null ? "" : m.group(3).strip();
            if (value.startsWith("\"") && (value.length() == 1 || !value.endsWith("\""))) {
                if ("\"".equals(m.group(3)) && entry.indexOf("\n") < 0) {
                    // dotenv-java 3.2 refuses a first line whose value is a lone '"' ("unmatched quotes"), as in
                    // K=" or K="#... (the rest is a comment), though it reads K=" x over two lines (a property found it)
                    return Optional.of("line " + entryStart + ": the value of " + m.group(1) + " is a lone '\"' (what "
                            + "follows a '#' is a comment), which the .env reader refuses; put text after the quote on "
                            + "this line, or quote the value with '");
                }
                continue; // a quoted value that goes on over the next line
            }
            if (value.endsWith("\"") && !value.startsWith("\"")) {
                return Optional.of("line " + entryStart + ": the value of " + m.group(1) + " ends with '\"' but does "
                        + "not start with one; quote the whole value or drop the stray quote");
            }
            if (value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")
                    && hasUnescapedQuote(value.substring(1, value.length() - 1))) {
                return Optional.of("line " + entryStart + ": the double-quoted value of " + m.group(1)
                        + " holds an unescaped '\"' inside; write it as \\\" or use single quotes");
            }
            entry.setLength(0);
        }
        if (entry.length() > 0) {
            return Optional.of("line " + entryStart + ": the value opened with '\"' there is never closed");
        }
        return Optional.empty();
    }

    private static String describeMalformed(String line) {
        int eq = line.indexOf('=');
        if (eq < 0) {
            return "expected NAME=value, found no '='";
        }
        String name = line.substring(0, eq).strip();
        if (name.isEmpty()) {
            return "expected NAME=value, found nothing before '='";
        }
        if (name.startsWith("export ")) {
            return "'export' is not supported: write NAME=value";
        }
        if (!NAME.matcher(name).matches()) {
            return "the name before '=' may hold only letters, digits, '_', '.' and '-'";
        }
        return "the value is not a plain value, a 'single-quoted' or a \"double-quoted\" one (a stray quote?)";
    }

    private static boolean hasUnescapedQuote(String inner) {
        for (int i = 0; i < inner.length(); i++) {
            if (inner.charAt(i) == '"' && (i == 0 || inner.charAt(i - 1) != '\\')) {
                return true;
            }
        }
        return false;
    }
}

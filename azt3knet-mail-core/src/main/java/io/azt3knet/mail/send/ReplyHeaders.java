package io.azt3knet.mail.send;

import io.azt3knet.mail.MailboxAddress;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The header arithmetic of {@link OutgoingMessage#replyTo}: recipients, subject, references. */
final class ReplyHeaders {

    /** One or more leading reply markers: {@code Re:}, {@code RE :}, {@code Re[2]:}. */
    private static final Pattern REPLY_PREFIX = Pattern.compile("^(\\s*re\\s*(\\[\\d+\\])?\\s*:\\s*)+",
            Pattern.CASE_INSENSITIVE);
    /** References kept at most (the first and the latest ones), as RFC 5322 allows trimming. */
    private static final int MAX_REFERENCES = 20;

    private ReplyHeaders() {
    }

    static String replySubject(String subject) {
        String single = subject.replaceAll("[\\r\\n]+", " ").strip();
        return "Re: " + REPLY_PREFIX.matcher(single).replaceFirst("");
    }

    /** @return the valid addresses of an address header (encoded names decoded), possibly none */
    static List<OutgoingMessage.Recipient> recipients(String header) {
        List<OutgoingMessage.Recipient> out = new ArrayList<>();
        if (header.isBlank()) {
            return out;
        }
        try {
            for (InternetAddress a : InternetAddress.parseHeader(header, false)) {
                try {
                    String name = a.getPersonal() == null ? "" : a.getPersonal().replaceAll("[\\r\\n\\x00]+", " ");
                    out.add(new OutgoingMessage.Recipient(MailboxAddress.parse(a.getAddress()), name));
                } catch (IllegalArgumentException | NullPointerException invalid) {
                    // a group, an empty or an invalid address: not one to answer
                }
            }
        } catch (AddressException e) {
            return out;
        }
        return out;
    }

    static List<String> trim(List<String> references) {
        if (references.size() <= MAX_REFERENCES) {
            return references;
        }
        List<String> kept = new ArrayList<>();
        kept.add(references.get(0));
        kept.addAll(references.subList(references.size() - (MAX_REFERENCES - 1), references.size()));
        return kept;
    }
}

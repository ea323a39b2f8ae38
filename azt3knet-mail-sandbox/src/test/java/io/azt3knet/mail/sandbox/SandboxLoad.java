package io.azt3knet.mail.sandbox;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Test helpers: seeded content, and reading what a Maildir holds. */
final class SandboxLoad {

    private static final Session SESSION = Session.getInstance(new Properties());

    private SandboxLoad() {
    }

    static byte[] bytes(long seed, int size) {
        byte[] out = new byte[size];
        new SplittableRandom(seed).nextBytes(out);
        return out;
    }

    /** @return every message in the Maildir's {@code new/} and {@code cur/}, parsed */
    static List<MimeMessage> maildir(Path maildir) {
        List<MimeMessage> out = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path d = maildir.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : files.sorted().toList()) {
                    try (InputStream in = Files.newInputStream(f)) {
                        MimeMessage m = new MimeMessage(SESSION, in);
                        m.getAllHeaders(); // parsed now, while the stream is open
                        m.getContent();
                        out.add(m);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    static byte[] attachment(Part part, String fileName) throws MessagingException, IOException {
        return find(part, p -> fileName.equals(p.getFileName())).map(SandboxLoad::content)
                .orElseThrow(() -> new AssertionError("no attachment " + fileName));
    }

    static String text(Part part, String mimeType) throws MessagingException, IOException {
        return find(part, p -> p.isMimeType(mimeType) && p.getFileName() == null).map(p -> {
            try {
                return (String) p.getContent();
            } catch (IOException | MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).orElseThrow(() -> new AssertionError("no " + mimeType + " part"));
    }

    private static byte[] content(Part p) {
        try (InputStream in = p.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    interface PartTest {
        boolean test(Part p) throws MessagingException;
    }

    private static Optional<Part> find(Part part, PartTest test) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                Optional<Part> found = find(child, test);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }
        return test.test(part) ? Optional.of(part) : Optional.empty();
    }
}

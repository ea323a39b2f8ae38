package io.azt3knet.mail.mailjet;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.InboundRejectedException;
import io.azt3knet.mail.inbound.InboundMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The inbound parser on random and mutated payloads: an InboundMessage or the typed parse error, nothing else. */
class MailjetInboundParserPropertiesTest {

    private static final MailjetInboundParser PARSER = MailjetInboundParser.create();
    private static final List<byte[]> SAMPLES = List.of(sample("single-part-text.json"),
            sample("multipart-inline-image-and-attachments.json"), sample("empty-subject-string-headers.json"),
            sample("non-ascii-headers-and-file-names.json"));

    private static byte[] sample(String name) {
        try (InputStream in = MailjetInboundParserPropertiesTest.class.getResourceAsStream("/mailjet/inbound/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One edit of a payload: overwrite, delete or insert a byte at a position. */
    record Edit(int kind, double where, byte value) {
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.doubles().between(0, 1),
                Arbitraries.of((byte) '"', (byte) '{', (byte) '}', (byte) '[', (byte) ':', (byte) ',', (byte) '\\',
                        (byte) '0', (byte) 'x', (byte) 0, (byte) 0xC3, (byte) 0xFF, (byte) ' ')).as(Edit::new)
                .list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 10_000)
    void aMutatedPayloadGivesAMessageOrTheTypedRejection(@ForAll("edits") List<Edit> edits,
            @ForAll @net.jqwik.api.constraints.IntRange(max = 3) int which) {
        byte[] mutated = SAMPLES.get(which).clone();
        for (Edit e : edits) {
            int at = (int) (e.where() * mutated.length);
            at = Math.min(at, Math.max(0, mutated.length - 1));
            if (e.kind() == 0 && mutated.length > 0) {
                mutated[at] = e.value();
            } else if (e.kind() == 1 && mutated.length > 0) {
                byte[] shorter = new byte[mutated.length - 1];
                System.arraycopy(mutated, 0, shorter, 0, at);
                System.arraycopy(mutated, at + 1, shorter, at, mutated.length - at - 1);
                mutated = shorter;
            } else {
                byte[] longer = new byte[mutated.length + 1];
                System.arraycopy(mutated, 0, longer, 0, at);
                longer[at] = e.value();
                System.arraycopy(mutated, at, longer, at + 1, mutated.length - at);
                mutated = longer;
            }
        }
        assertParsesOrRejects(mutated);
    }

    @Property(tries = 10_000)
    void randomBytesGiveTheTypedRejection(@ForAll @Size(max = 256) byte[] body) {
        assertParsesOrRejects(body);
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> key = Arbitraries.of("Recipient", "Sender", "From", "Subject", "Headers", "Parts", "ContentRef",
                "Text-part", "Html-part", "Attachment1", "SpamAssassinScore", "CustomID", "Payload", "Date", "x");
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("null", "true", "1", "-1e999", "[]", "{}",
                        "\"a@b.c\"", "\"\"", "[\"x\"]", "{\"Message-ID\":[1,2]}", "[{\"ContentRef\":\"Attachment1\"}]"),
                Arbitraries.strings().ofMaxLength(12).map(s -> "\"" + s.replace("\\", "").replace("\"", "") + "\""));
        return Combinators.combine(key, value).as((k, v) -> "\"" + k + "\":" + v).list().ofMaxSize(10)
                .map(fields -> "{" + String.join(",", fields) + "}");
    }

    @Property(tries = 10_000)
    void wellFormedJsonOfAnyShapeGivesAMessageOrTheTypedRejection(@ForAll("jsonish") String body) {
        assertParsesOrRejects(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void assertParsesOrRejects(byte[] body) {
        try {
            InboundMessage m = PARSER.parse(new ByteArrayInputStream(body));
            assertThat(m.recipient()).isNotNull();
        } catch (InboundRejectedException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}

package io.azt3knet.mail.desec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** The TXT codec: a round trip for any text and any byte string, however it is split and escaped. */
class RecordCodecPropertiesTest {

    @Property(tries = 10_000)
    void anyTextSurvivesEncodingAndDecodingInStringsOfAtMost255Bytes(@ForAll @StringLength(max = 400) String text) {
        String valid = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8); // no lone surrogates

        String wire = RecordCodec.encodeText(valid);

        assertThat(RecordCodec.decodeText(wire)).isEqualTo(valid);
        assertThat(RecordCodec.encodeText(RecordCodec.decodeText(wire))).isEqualTo(wire);
    }

    @Property(tries = 10_000)
    void anyByteStringSplitAnywhereAndEscapedAnyHowDecodesToItsBytes(@ForAll @Size(max = 400) byte[] bytes,
            @ForAll @IntRange(min = 1, max = 255) int chunk, @ForAll boolean escapeEverything) {
        StringBuilder wire = new StringBuilder();
        for (int start = 0; start < bytes.length || start == 0; start += chunk) {
            wire.append(start == 0 ? "\"" : " \"");
            for (int i = start; i < Math.min(bytes.length, start + chunk); i++) {
                int b = bytes[i] & 0xff;
                if (escapeEverything || b < 0x20 || b >= 0x7f || b == '"' || b == '\\') {
                    wire.append('\\').append(String.format(Locale.ROOT, "%03d", b));
                } else {
                    wire.append((char) b);
                }
            }
            wire.append('"');
            if (bytes.length == 0) {
                break;
            }
        }

        String logical = RecordCodec.decodeText(wire.toString());

        if (isUtf8(bytes)) {
            assertThat(logical.getBytes(StandardCharsets.UTF_8)).isEqualTo(bytes);
        } else {
            // not UTF-8: the logical text is lossy, and DesecClient writes the record back in its presentation form
            assertThat(logical).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}

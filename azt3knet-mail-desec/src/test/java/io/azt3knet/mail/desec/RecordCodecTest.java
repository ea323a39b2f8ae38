package io.azt3knet.mail.desec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordCodecTest {

    @Test
    void txtIsQuotedWithQuotesAndBackslashesEscaped() {
        assertThat(RecordCodec.encode("TXT", "say \"hi\" \\ bye")).isEqualTo("\"say \\\"hi\\\" \\\\ bye\"");
    }

    @Test
    void longTxtIsSplitIntoStringsOfAtMost255Bytes() {
        String dkim = "k=rsa; p=" + "A".repeat(400);

        String wire = RecordCodec.encode("TXT", dkim);

        assertThat(wire).isEqualTo("\"" + dkim.substring(0, 255) + "\" \"" + dkim.substring(255) + "\"");
    }

    @Test
    void multiByteCharactersAreNeverCutBetweenStrings() {
        String text = "a".repeat(254) + "é" + "b";

        String wire = RecordCodec.encode("TXT", text);

        assertThat(wire).isEqualTo("\"" + "a".repeat(254) + "\" \"éb\"");
        assertThat(RecordCodec.decode("TXT", wire)).isEqualTo(text);
    }

    @Test
    void splitValueAsDesecReturnsItDecodesToTheJoinedText() {
        String part1 = "v=DKIM1; k=rsa; p=" + "x".repeat(237);
        String part2 = "y".repeat(100);

        assertThat(RecordCodec.decode("TXT", "\"" + part1 + "\" \"" + part2 + "\"")).isEqualTo(part1 + part2);
    }

    @Test
    void decimalEscapesDecodeToBytes() {
        assertThat(RecordCodec.decode("TXT", "\"tab\\009here \\195\\169\"")).isEqualTo("tab\there é");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "v=spf1 include:spf.mailjet.com ~all", "q\"uo\\te", "ctl\u0001x",
            "v=DMARC1; p=none; rua=mailto:d@example.org"})
    void everyTextRoundTrips(String text) {
        assertThat(RecordCodec.decode("TXT", RecordCodec.encode("TXT", text))).isEqualTo(text);
    }

    @Test
    void veryLongTextRoundTripsAndEveryStringFits() {
        String text = "0123456789".repeat(100);

        String wire = RecordCodec.encode("TXT", text);

        assertThat(wire.split("\" \"")).hasSize(4)
                .allSatisfy(s -> assertThat(s.replace("\"", "").getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255));
        assertThat(RecordCodec.decode("TXT", wire)).isEqualTo(text);
    }

    @Test
    void otherTypesPassThrough() {
        assertThat(RecordCodec.encode("MX", "10 parse.mailjet.com.")).isEqualTo("10 parse.mailjet.com.");
        assertThat(RecordCodec.decode("A", "192.0.2.1")).isEqualTo("192.0.2.1");
    }
}

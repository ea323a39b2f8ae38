package io.azt3knet.mail.inbound.webhook;

import io.azt3knet.mail.inbound.TestJsonParser;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.InboundSink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.Secret;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class InboundWebhookHandlerTest {

    private final List<InboundMessage> accepted = new ArrayList<>();
    private final InboundSink memorySink = (message, key) -> {
        accepted.add(message);
        return InboundSink.Result.STORED;
    };

    /** An endless body: '{"Text-part":"xxxxx...' forever. Counts what was read. */
    private static final class EndlessBody extends InputStream {
        private final byte[] head = "{\"Recipient\":\"a@b.c\",\"Text-part\":\"".getBytes(StandardCharsets.US_ASCII);
        long read;

        @Override
        public int read() {
            int b = read < head.length ? head[(int) read] : 'x';
            read++;
            return b;
        }
    }

    @Test
    void stopsReadingABodyOfUnknownLengthJustPastTheLimit() {
        InboundWebhookHandler handler = InboundWebhookHandler.builder(new TestJsonParser(), memorySink).allowUnauthenticated()
                .maxBodyBytes(64 * 1024).build();
        EndlessBody body = new EndlessBody();

        WebhookResponse r = handler.handle(new WebhookRequest("POST", Map.of(), "", body, OptionalLong.empty()));

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.headers()).containsEntry("Connection", "close");
        assertThat(body.read).isBetween(64L * 1024 + 1, 64L * 1024 + 1 + 8192);
        assertThat(accepted).isEmpty();
    }

    @Test
    void answers500WhenTheParserBreaksItsContractSoThatTheSenderRetries() {
        InboundWebhookHandler handler = InboundWebhookHandler.builder(in -> {
                    throw new IllegalStateException("bug");
                }, memorySink).allowUnauthenticated().build();

        WebhookResponse r = handler.handle(new WebhookRequest("POST", Map.of(), "",
                new ByteArrayInputStream("{}".getBytes(StandardCharsets.US_ASCII)), OptionalLong.of(2)));

        assertThat(r.status()).isEqualTo(500);
        assertThat(accepted).isEmpty();
    }

    @Test
    void readsTheTokenFromAQueryWithOtherParametersAndPercentEncoding() {
        assertThat(InboundWebhookHandler.queryParameter("a=1&token=p%40ss%2Bw+rd&b", "token")).contains("p@ss+w rd");
        assertThat(InboundWebhookHandler.queryParameter("tokens=x", "token")).isEmpty();
        assertThat(InboundWebhookHandler.queryParameter("token=%zz", "token")).isEmpty();
        assertThat(InboundWebhookHandler.queryParameter("", "token")).isEmpty();
    }

    @Test
    void refusesToBuildWithoutASecretUnlessUnauthenticatedAccessIsExplicit() {
        assertThatThrownBy(() -> InboundWebhookHandler.builder(new TestJsonParser(), memorySink).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MAILJET_INBOUND_SECRET").hasMessageContaining("allowUnauthenticated()");
        assertThatThrownBy(() -> InboundWebhookHandler.builder(new TestJsonParser(), memorySink)
                .secret(Secret.of("0123456789abcdef0123")).allowUnauthenticated().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("choose one");
    }

    @Test
    void refusesAWeakSecretWithoutShowingIt() {
        for (String weak : List.of("short-but-ok-chr", "0123456789abcde", "0123456789abcdef/", "p@ssw0rd-p@ssw0rd",
                "ünïcode-ünïcode-ünïcode")) {
            if (weak.length() >= 16 && weak.matches("[A-Za-z0-9._~-]+")) {
                continue; // the first one is fine: 16 unreserved characters
            }
            assertThatThrownBy(() -> InboundWebhookHandler.builder(new TestJsonParser(), memorySink).secret(Secret.of(weak)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("at least 16 characters")
                    .hasMessageNotContaining(weak);
        }
        InboundWebhookHandler.builder(new TestJsonParser(), memorySink).secret(Secret.of("short-but-ok-chr")); // exactly 16: accepted
    }

    private static WebhookRequest withPassword(String password) {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("mailjet:" + password)
                .getBytes(StandardCharsets.UTF_8));
        return new WebhookRequest("POST", Map.of("Authorization", List.of(basic)), "",
                new ByteArrayInputStream("{\"Recipient\":\"a@b.example\"}".getBytes(StandardCharsets.UTF_8)),
                OptionalLong.empty());
    }

    @Test
    void acceptsThePreviousSecretBesideTheNewOneDuringARotation() {
        String current = "new-secret-0123456789";
        String previous = "old-secret-0123456789";
        InboundWebhookHandler rotating = InboundWebhookHandler.builder(new TestJsonParser(), memorySink)
                .secret(Secret.of(current)).previousSecret(Secret.of(previous)).build();
        InboundWebhookHandler rotated = InboundWebhookHandler.builder(new TestJsonParser(), memorySink)
                .secret(Secret.of(current)).build();

        assertThat(rotating.handle(withPassword(current)).status()).isEqualTo(200);
        assertThat(rotating.handle(withPassword(previous)).status()).isEqualTo(200);
        assertThat(rotating.handle(withPassword("other-secret-0123456789")).status()).isEqualTo(401);
        assertThat(rotated.handle(withPassword(previous)).status()).isEqualTo(401);
        assertThatThrownBy(() -> InboundWebhookHandler.builder(new TestJsonParser(), memorySink)
                .previousSecret(Secret.of(previous)).allowUnauthenticated().build())
                .isInstanceOf(IllegalStateException.class);
    }
}

package io.azt3knet.mail.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.inbound.MessageHeaders;
import io.azt3knet.mail.inbox.MessageSummary;
import io.azt3knet.mail.inbox.StoredMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplyToTest {

    private static StoredMessage stored(String subject, MessageHeaders.Builder headers) {
        MessageHeaders h = headers.build();
        MessageSummary summary = new MessageSummary("1767225600.M1P1Q1.host", "ada@agents.example",
                h.first("Message-ID"), h.first("From").orElse(""), "ada@agents.example", subject,
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"), false, 100);
        return new StoredMessage(summary, h, Optional.of("question"), Optional.empty(), List.of());
    }

    @Test
    void answersFromWithThreadingHeadersAndOneRePrefix() {
        StoredMessage question = stored("Lunch?", MessageHeaders.builder()
                .add("From", "Carol Smith <carol@example.org>").add("Message-ID", "<q1@example.org>"));
        OutgoingMessage reply = OutgoingMessage.replyTo(question).text("Yes").build();
        assertThat(reply.to()).containsExactly(new OutgoingMessage.Recipient(MailboxAddress.parse("carol@example.org"),
                "Carol Smith"));
        assertThat(reply.subject()).isEqualTo("Re: Lunch?");
        assertThat(reply.headers()).containsEntry("In-Reply-To", "<q1@example.org>")
                .containsEntry("References", "<q1@example.org>");
    }

    @Test
    void prefersReplyToExtendsReferencesAndNeverStacksRe() {
        StoredMessage answer = stored("RE: Re: Lunch?", MessageHeaders.builder()
                .add("From", "carol@example.org").add("Reply-To", "Team <team@example.org>, desk@example.org")
                .add("Message-ID", "<r2@example.org>").add("In-Reply-To", "<r1@example.org>")
                .add("References", "<q1@example.org>\r\n <r1@example.org>"));
        OutgoingMessage reply = OutgoingMessage.replyTo(answer).text("ok").build();
        assertThat(reply.to()).extracting(r -> r.address().value()).containsExactly("team@example.org", "desk@example.org");
        assertThat(reply.subject()).isEqualTo("Re: Lunch?");
        assertThat(reply.headers()).containsEntry("In-Reply-To", "<r2@example.org>")
                .containsEntry("References", "<q1@example.org> <r1@example.org> <r2@example.org>");
        assertThat(OutgoingMessage.replyTo(stored("Re[3]: x", MessageHeaders.builder().add("From", "a@example.org")))
                .build().subject()).isEqualTo("Re: x");
    }

    @Test
    void usesInReplyToWhenThereAreNoReferencesAndOmitsThreadingWithoutAMessageId() {
        StoredMessage answer = stored("Re: x", MessageHeaders.builder().add("From", "carol@example.org")
                .add("Message-ID", "<r1@example.org>").add("In-Reply-To", "<q1@example.org>"));
        assertThat(OutgoingMessage.replyTo(answer).build().headers())
                .containsEntry("References", "<q1@example.org> <r1@example.org>");
        StoredMessage anonymous = stored("hello", MessageHeaders.builder().add("From", "carol@example.org"));
        assertThat(OutgoingMessage.replyTo(anonymous).build().headers()).isEmpty();
    }

    @Test
    void refusesAMessageWithoutAnAddressToAnswer() {
        StoredMessage nobody = stored("hello", MessageHeaders.builder().add("From", "undisclosed-recipients:;"));
        assertThatThrownBy(() -> OutgoingMessage.replyTo(nobody)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no valid Reply-To or From address");
    }
}

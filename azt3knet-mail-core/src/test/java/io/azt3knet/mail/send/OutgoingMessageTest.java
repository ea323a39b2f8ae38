package io.azt3knet.mail.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutgoingMessageTest {

    private static OutgoingMessage.Builder base() {
        return OutgoingMessage.builder().to("bob@example.org");
    }

    @Test
    void refusesLineBreaksWhereTheyCouldInjectAHeader() {
        assertThatThrownBy(() -> base().subject("hi\r\nBcc: victim@example.org")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().to("x@example.org", "Eve\nBcc: victim@example.org"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().header("X-MJ-CustomID", "id\r\nBcc: victim@example.org"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().header("X-Evil: yes\r\nBcc", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().attach("a\r\n.pdf", "application/pdf", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().inline("<logo>", "image/png", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().to("victim@example.org>\r\nBcc: x@y.z")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesHeadersTheBuilderOwns() {
        for (String name : new String[] {"From", "to", "BCC", "Subject", "Content-Type", "MIME-Version"}) {
            assertThatThrownBy(() -> base().header(name, "x")).as(name).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(base().header("X-MJ-CustomID", "a").header("In-Reply-To", "<b@c>").build().headers())
                .containsExactly(Map.entry("X-MJ-CustomID", "a"), Map.entry("In-Reply-To", "<b@c>"));
    }

    @Test
    void needsARecipientAndAValidContentType() {
        assertThatThrownBy(() -> OutgoingMessage.builder().subject("x").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> base().attach("a", "not a type", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThat(OutgoingMessage.builder().bcc("hidden@example.org").build().bcc()).hasSize(1);
    }

    @Test
    void copiesAttachmentBytesSoLaterChangesDoNotLeakIn(@TempDir Path dir) throws Exception {
        byte[] data = {1, 2, 3};
        OutgoingMessage m = base().attach("a.bin", "application/octet-stream", data).build();
        data[0] = 9;
        assertThat(m.attachments().get(0).content().get().readAllBytes()).containsExactly(1, 2, 3);

        Path file = Files.write(dir.resolve("notes.txt"), new byte[] {'h', 'i'});
        OutgoingMessage fromFile = base().attach(file).build();
        assertThat(fromFile.attachments().get(0).fileName()).isEqualTo("notes.txt");
        assertThat(fromFile.attachments().get(0).content().get().readAllBytes()).containsExactly('h', 'i');
    }
}

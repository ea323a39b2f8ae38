package io.azt3knet.mail.inbound.maildir;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.azt3knet.mail.inbound.InboundAttachment;
import io.azt3knet.mail.inbound.InboundMessage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Keeps what {@link MaildirSink} cannot store as MIME (a message that cannot be rendered, or per recipient a
 * recipient no directory can be named after): its whole content as JSON in {@code <root>/quarantine/}, with
 * the same write, force and rename discipline as a message, for a person to look at. Nothing is refused,
 * because a refused message would be retried by the provider until it gives up, and then lost.
 */
final class QuarantineWriter {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET).build(); // the caller forces and closes the file

    private final Path dir;
    private final Disk disk;

    /**
     * @param dir the quarantine directory (its {@code tmp/} must exist)
     * @param disk the file-system steps
     */
    QuarantineWriter(Path dir, Disk disk) {
        this.dir = dir;
        this.disk = disk;
    }

    /** @return the quarantine directory */
    Path root() {
        return dir;
    }

    /**
     * Writes the message as JSON into quarantine/tmp, forces it and renames it into quarantine/.
     *
     * @param message what could not be stored as MIME
     * @param name the Maildir unique name the message would have had
     * @param why the reason, kept in the file
     * @return the published file
     */
    Path write(InboundMessage message, String name, Throwable why) throws IOException {
        Path target = dir.resolve(name + ".json");
        Path quarantineTmp = dir.resolve("tmp").resolve(name + ".json");
        try {
            writeDurably(quarantineTmp, out -> writeJson(message, why, out));
            disk.rename(quarantineTmp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(quarantineTmp);
            throw e;
        }
        return target;
    }

    private void writeDurably(Path file, Content content) throws IOException {
        try (FileChannel channel = disk.create(file)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            content.writeTo(out);
            out.flush();
            channel.force(true);
        }
    }

    /** Everything the message holds, losslessly, for a message that cannot be rendered. */
    private static void writeJson(InboundMessage m, Throwable why, OutputStream out) throws IOException {
        JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8);
        json.writeStartObject();
        json.writeStringField("quarantinedBecause", String.valueOf(why));
        json.writeStringField("recipient", m.recipient());
        json.writeStringField("envelopeSender", m.envelopeSender());
        json.writeStringField("from", m.from());
        json.writeStringField("subject", m.subject());
        if (m.date().isPresent()) {
            json.writeStringField("date", m.date().get().toString());
        }
        json.writeArrayFieldStart("headers");
        for (Map.Entry<String, List<String>> h : m.headers().asMap().entrySet()) {
            for (String value : h.getValue()) {
                json.writeStartObject();
                json.writeStringField("name", h.getKey());
                json.writeStringField("value", value);
                json.writeEndObject();
            }
        }
        json.writeEndArray();
        if (m.text().isPresent()) {
            json.writeStringField("text", m.text().get());
        }
        if (m.html().isPresent()) {
            json.writeStringField("html", m.html().get());
        }
        json.writeObjectFieldStart("extraContent");
        for (Map.Entry<String, String> e : m.extraContent().entrySet()) {
            json.writeStringField(e.getKey(), e.getValue());
        }
        json.writeEndObject();
        json.writeArrayFieldStart("attachments");
        for (InboundAttachment a : m.attachments()) {
            json.writeStartObject();
            json.writeStringField("fileName", a.fileName());
            json.writeStringField("contentType", a.contentType());
            json.writeStringField("contentId", a.contentId().orElse(""));
            json.writeBooleanField("inline", a.inline());
            json.writeFieldName("contentBase64");
            json.writeBinary(a.openStream(), a.size());
            json.writeEndObject();
        }
        json.writeEndArray();
        if (m.spamScore().isPresent()) {
            json.writeStringField("spamScore", m.spamScore().get().toPlainString());
        }
        if (m.customId().isPresent()) {
            json.writeStringField("customId", m.customId().get());
        }
        if (m.payload().isPresent()) {
            json.writeStringField("payload", m.payload().get());
        }
        json.writeEndObject();
        json.close();
    }

    @FunctionalInterface
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }
}

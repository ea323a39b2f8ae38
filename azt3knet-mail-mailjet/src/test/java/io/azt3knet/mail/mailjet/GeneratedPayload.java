package io.azt3knet.mail.mailjet;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** A payload produced on the fly (prefix, a unit repeated, suffix), so that huge bodies cost the test no heap. */
final class GeneratedPayload extends InputStream {

    private final byte[] prefix;
    private final byte[] unit;
    private final long repeats;
    private final byte[] suffix;
    private final long length;
    private long pos;

    GeneratedPayload(String prefix, String unit, long repeats, String suffix) {
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.unit = unit.getBytes(StandardCharsets.UTF_8);
        this.repeats = repeats;
        this.suffix = suffix.getBytes(StandardCharsets.UTF_8);
        this.length = this.prefix.length + this.unit.length * repeats + this.suffix.length;
    }

    /**
     * @param bytes the attachment's decoded size
     * @return a payload with one attachment of {@code bytes} letters 'A', named big.bin, base64 as Mailjet sends it
     */
    static GeneratedPayload withAttachment(long bytes) {
        String tail = switch ((int) (bytes % 3)) {
            case 1 -> "QQ==";
            case 2 -> "QUE=";
            default -> "";
        };
        return new GeneratedPayload("""
                {"Sender":"a@example.org","Recipient":"jane@agents.example.org","Date":"20240305T091522",
                 "From":"A <a@example.org>","Subject":"big","Headers":{"Content-Type":["multipart/mixed"]},
                 "Parts":[{"Headers":{"Content-Type":["application/octet-stream; name=big.bin"],
                 "Content-Disposition":["attachment; filename=big.bin"]},"ContentRef":"Attachment1"}],
                 "Text-part":"see attachment","Attachment1":\"""", "QUFB", bytes / 3, tail + "\"}");
    }

    long length() {
        return length;
    }

    @Override
    public int read() {
        if (pos >= length) {
            return -1;
        }
        int b = byteAt(pos);
        pos++;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (pos >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - pos);
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) byteAt(pos + i);
        }
        pos += n;
        return n;
    }

    private int byteAt(long p) {
        if (p < prefix.length) {
            return prefix[(int) p] & 0xFF;
        }
        long q = p - prefix.length;
        long body = unit.length * repeats;
        if (q < body) {
            return unit[(int) (q % unit.length)] & 0xFF;
        }
        return suffix[(int) (q - body)] & 0xFF;
    }
}

package org.essaim.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** A message split into raw header fields and body, byte for byte, with CRLF line ends. */
class RawMessageTest {

    @Test
    void fieldsKeepTheirFoldingRawWhileValuesAreUnfolded() {
        RawMessage message = RawMessage.parse(bytes("From: <a@example.org>\r\nSubject: a long\r\n\tsubject\r\n"
                + "X-Empty:\r\n\r\nBody line\r\n"));

        assertThat(message.fields()).extracting(RawMessage.Field::name).containsExactly("From", "Subject", "X-Empty");
        assertThat(text(message.fields().get(1).raw())).isEqualTo("Subject: a long\r\n\tsubject\r\n");
        assertThat(message.fields().get(1).value()).isEqualTo("a long subject");
        assertThat(message.fields().get(2).value()).isEmpty();
        assertThat(text(message.body())).isEqualTo("Body line\r\n");
    }

    @Test
    void bareLineFeedsBecomeCrlfAndCrlfInputIsLeftAlone() {
        byte[] crlf = bytes("A: 1\r\n\r\nx\r\n");
        assertThat(RawMessage.toCrlf(crlf)).isSameAs(crlf);
        assertThat(text(RawMessage.toCrlf(bytes("A: 1\n\nx\ny\r\n")))).isEqualTo("A: 1\r\n\r\nx\r\ny\r\n");

        RawMessage message = RawMessage.parse(bytes("Subject: lf only\n\nbody\n"));
        assertThat(text(message.fields().get(0).raw())).isEqualTo("Subject: lf only\r\n");
        assertThat(text(message.body())).isEqualTo("body\r\n");
    }

    @Test
    void eightBitBytesSurviveInHeadersAndBody() {
        byte[] latin1 = {'S', 'u', 'b', 'j', 'e', 'c', 't', ':', ' ', (byte) 0xe9, '\r', '\n', '\r', '\n', (byte) 0xff, 0};
        RawMessage message = RawMessage.parse(latin1);

        assertThat(message.fields().get(0).raw()).endsWith((byte) 0xe9, (byte) '\r', (byte) '\n');
        assertThat(message.body()).containsExactly((byte) 0xff, 0);
    }

    @Test
    void withoutABlankLineTheFirstLineThatIsNoHeaderStartsTheBody() {
        RawMessage message = RawMessage.parse(bytes("Subject: hi\r\nthis is no header\r\nmore\r\n"));

        assertThat(message.fields()).hasSize(1);
        assertThat(text(message.body())).isEqualTo("this is no header\r\nmore\r\n");
        assertThat(RawMessage.parse(bytes("no header at all")).fields()).isEmpty();
        assertThat(text(RawMessage.parse(bytes("no header at all")).body())).isEqualTo("no header at all");
    }

    @Test
    void aLastHeaderLineWithoutLineEndGetsOne() {
        RawMessage message = RawMessage.parse(bytes("Subject: no end"));

        assertThat(text(message.fields().get(0).raw())).isEqualTo("Subject: no end\r\n");
        assertThat(message.body()).isEmpty();
    }

    @Test
    void theMediaTypeIsLowerCaseWithoutParametersAndPlainTextWhenAbsent() {
        assertThat(RawMessage.parse(bytes("content-TYPE: Multipart/Encrypted;\r\n protocol=\"x\"\r\n\r\n")).mediaType())
                .isEqualTo("multipart/encrypted");
        assertThat(RawMessage.parse(bytes("Subject: x\r\n\r\n")).mediaType()).isEqualTo("text/plain");
        assertThat(RawMessage.parse(bytes("Content-Type:\r\n\r\n")).mediaType()).isEqualTo("text/plain");
        assertThat(RawMessage.parse(bytes("Content-Type: a/b\r\nContent-Type: c/d\r\n\r\n")).mediaType())
                .as("the first of two").isEqualTo("a/b");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}

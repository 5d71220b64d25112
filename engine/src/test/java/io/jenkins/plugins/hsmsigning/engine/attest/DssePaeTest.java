package io.jenkins.plugins.hsmsigning.engine.attest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.Test;

/** The pre-authentication encoding, byte for byte as the DSSE specification (protocol.md) gives it. */
public class DssePaeTest {

    @Test
    public void specificationExample() {
        byte[] pae = Dsse.preAuthenticationEncoding("http://example.com/HelloWorld",
                "hello world".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("DSSEv1 29 http://example.com/HelloWorld 11 hello world".getBytes(StandardCharsets.US_ASCII),
                pae);
    }

    @Test
    public void lengthsAreByteCountsNotCharacterCounts() {
        byte[] pae = Dsse.preAuthenticationEncoding("t/ü", "€".getBytes(StandardCharsets.UTF_8));
        byte[] expected = concat("DSSEv1 4 t/".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xC3, (byte) 0xBC}, " 3 ".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xE2, (byte) 0x82, (byte) 0xAC});
        assertArrayEquals(expected, pae);
    }

    @Test
    public void emptyPayloadAndBinaryBytesAreKeptAsTheyAre() {
        assertEquals("DSSEv1 0  0 ", new String(Dsse.preAuthenticationEncoding("", new byte[0]),
                StandardCharsets.US_ASCII));
        byte[] binary = {0, ' ', '\n', (byte) 0xFF};
        byte[] pae = Dsse.preAuthenticationEncoding(Dsse.IN_TOTO_PAYLOAD_TYPE, binary);
        assertArrayEquals(concat(("DSSEv1 28 application/vnd.in-toto+json 4 ").getBytes(StandardCharsets.US_ASCII),
                binary), pae);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }
}

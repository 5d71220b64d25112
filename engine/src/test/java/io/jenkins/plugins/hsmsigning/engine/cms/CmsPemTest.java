package io.jenkins.plugins.hsmsigning.engine.cms;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.Test;

public class CmsPemTest {

    private static final byte[] DER = {0x30, 0x03, 0x02, 0x01, 0x05};

    @Test
    public void derIsLeftAsItIs() throws Exception {
        assertSame(DER, CmsPem.der(DER, "a.p7s"));
    }

    @Test
    public void cmsAndPkcs7BlocksAreDecoded() throws Exception {
        for (String label : new String[] {"CMS", "PKCS7"}) {
            assertArrayEquals(DER, CmsPem.der(pem(label, "\n").getBytes(StandardCharsets.US_ASCII), "a.p7s"));
        }
    }

    @Test
    public void otherPemAndSeveralBlocksAreRefusedSayingSo() {
        SigningException certificate = assertThrows(SigningException.class,
                () -> CmsPem.der(pem("CERTIFICATE", "\n").getBytes(StandardCharsets.US_ASCII), "a.p7s"));
        assertThat(certificate.getMessage(), containsString("is PEM of another kind (CERTIFICATE)"));
        SigningException two = assertThrows(SigningException.class, () -> CmsPem.der((pem("CMS", "\n")
                + pem("CMS", "\n")).getBytes(StandardCharsets.US_ASCII), "a.p7s"));
        assertThat(two.getMessage(), containsString("not one CMS block"));
    }

    @Test
    public void hostileWhiteSpaceIsReadInOnePass() throws Exception {
        String padding = " ".repeat(4 * 1024 * 1024);
        assertArrayEquals(DER, CmsPem.der(pem("CMS", padding).getBytes(StandardCharsets.US_ASCII), "a.p7s"));
        SigningException unterminated = assertThrows(SigningException.class, () -> CmsPem.der(
                ("-----BEGIN CMS-----" + padding + "MAMCAQU=" + padding).getBytes(StandardCharsets.US_ASCII),
                "a.p7s"));
        assertThat(unterminated.getMessage(), containsString("not one CMS block"));
    }

    private static String pem(String label, String separator) {
        return "-----BEGIN " + label + "-----" + separator + Base64.getEncoder().encodeToString(DER) + separator
                + "-----END " + label + "-----\n";
    }
}

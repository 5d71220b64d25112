package io.jenkins.plugins.hsmsigning.engine.cloud;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;

/** Services that answer ECDSA as JWS does (r and s side by side) get their signatures re-encoded as DER for Java. */
final class SignatureEncoding {

    private SignatureEncoding() {
    }

    static byte[] ecdsaRawToDer(byte[] raw, String service) throws SigningException {
        if (raw.length == 0 || raw.length % 2 != 0 || raw.length > 132) {
            throw new SigningException(Kind.KEY, service + " answered an ECDSA signature of " + raw.length
                    + " bytes, which is not r and s of one curve.");
        }
        int half = raw.length / 2;
        ASN1EncodableVector rs = new ASN1EncodableVector();
        rs.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, half))));
        rs.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length))));
        try {
            return new DERSequence(rs).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of two integers cannot fail", e);
        }
    }
}

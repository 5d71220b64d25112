package io.jenkins.plugins.hsmsigning.engine.cms;

import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.RuntimeOperatorException;

/** Bouncy Castle's view of a {@link SigningKey}: collects the signed attributes and has the key sign them. */
final class KeyContentSigner implements ContentSigner {

    private final SigningKey key;
    private final SignatureAlgorithm algorithm;
    private final ByteArrayOutputStream signedData = new ByteArrayOutputStream();

    KeyContentSigner(SigningKey key, SignatureAlgorithm algorithm) {
        this.key = key;
        this.algorithm = algorithm;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm.algorithmIdentifier();
    }

    @Override
    public OutputStream getOutputStream() {
        return signedData;
    }

    @Override
    public byte[] getSignature() {
        try {
            return key.sign(algorithm, signedData.toByteArray());
        } catch (SigningException e) {
            throw new RuntimeOperatorException(e.getMessage(), e);
        }
    }
}

package io.jenkins.plugins.hsmsigning.engine.cms;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import java.io.OutputStream;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;

/** Hands Bouncy Castle the content digest the engine already computed, so CMS never reads the artifact itself. */
final class PrecomputedDigest implements DigestCalculatorProvider {

    private final DigestAlgorithm algorithm;
    private final byte[] digest;

    PrecomputedDigest(DigestAlgorithm algorithm, byte[] digest) {
        this.algorithm = algorithm;
        this.digest = digest.clone();
    }

    @Override
    public DigestCalculator get(AlgorithmIdentifier requested) throws OperatorCreationException {
        if (!algorithm.oid().equals(requested.getAlgorithm())) {
            throw new OperatorCreationException("the content was hashed with " + algorithm + ", not "
                    + requested.getAlgorithm());
        }
        return new DigestCalculator() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return requested;
            }

            @Override
            public OutputStream getOutputStream() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public byte[] getDigest() {
                return digest.clone();
            }
        };
    }
}

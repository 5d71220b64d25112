package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.bouncycastle.asn1.x509.DigestInfo;

/**
 * A key whose raw operations go to a {@link RemoteKeyService}. The engine hands every format's input over as a
 * digest, so what leaves the machine is the digest and its algorithm, never an artifact.
 */
final class RemoteSigningKey extends SigningKey {

    private final RemoteKeyService.Session session;
    private final Semaphore operations;

    RemoteSigningKey(RemoteKeyService.Session session, List<X509Certificate> chain, String description,
            int maxConcurrentOperations) {
        super(chain, description);
        this.session = session;
        this.operations = new Semaphore(maxConcurrentOperations, true);
    }

    @Override
    byte[] signRaw(String jcaAlgorithm, AlgorithmParameterSpec parameters, byte[] input) throws SigningException {
        switch (jcaAlgorithm) {
            case "NONEwithRSA":
                DigestInfo info = DigestInfo.getInstance(input);
                DigestAlgorithm rsaDigest = DigestAlgorithm.fromOid(info.getAlgorithmId().getAlgorithm());
                return signHash(SignatureScheme.RSA_PKCS1, rsaDigest, info.getDigest());
            case "NONEwithECDSA":
                return signHash(SignatureScheme.ECDSA, byLength(input.length), input);
            case "RSASSA-PSS":
                DigestAlgorithm pssDigest = byName(((PSSParameterSpec) parameters).getDigestAlgorithm());
                return signHash(SignatureScheme.RSA_PSS, pssDigest, pssDigest.newDigest().digest(input));
            default:
                throw new IllegalArgumentException("Unknown raw signature algorithm " + jcaAlgorithm);
        }
    }

    private byte[] signHash(SignatureScheme scheme, DigestAlgorithm digest, byte[] hash) throws SigningException {
        try {
            operations.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SigningException(Kind.KEY, "Interrupted while waiting to sign with " + description() + ".", e);
        }
        try {
            return session.sign(scheme, digest, hash);
        } finally {
            operations.release();
        }
    }

    private static DigestAlgorithm byLength(int length) {
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            if (algorithm.length() == length) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("No digest algorithm has " + length + " bytes");
    }

    private static DigestAlgorithm byName(String name) {
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            if (algorithm.jcaName().equalsIgnoreCase(name)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("Unknown digest " + name);
    }

    @Override
    public void close() {
        session.close();
    }
}

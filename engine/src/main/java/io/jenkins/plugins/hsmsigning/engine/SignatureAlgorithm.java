package io.jenkins.plugins.hsmsigning.engine;

import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/** A signature scheme with its digest, named the way JCA, CMS and reports need it. */
public record SignatureAlgorithm(SignatureScheme scheme, DigestAlgorithm digest) {

    /** {@code SHA256withRSA}, {@code SHA384withECDSA}, {@code SHA256withRSASSA-PSS}. */
    public String jcaName() {
        switch (scheme) {
            case RSA_PKCS1:
                return digest.compactName() + "withRSA";
            case ECDSA:
                return digest.compactName() + "withECDSA";
            default:
                return digest.compactName() + "withRSASSA-PSS";
        }
    }

    /** PSS with MGF1 over the same digest and a salt as long as the digest, as RFC 4055 recommends. */
    public PSSParameterSpec pssParameters() {
        MGF1ParameterSpec mgf = new MGF1ParameterSpec(digest.jcaName());
        return new PSSParameterSpec(digest.jcaName(), "MGF1", mgf, digest.length(), 1);
    }

    public AlgorithmIdentifier algorithmIdentifier() {
        String bcName = scheme == SignatureScheme.RSA_PSS ? digest.compactName() + "WITHRSAANDMGF1" : jcaName();
        return new DefaultSignatureAlgorithmIdentifierFinder().find(bcName);
    }

    @Override
    public String toString() {
        return jcaName();
    }
}

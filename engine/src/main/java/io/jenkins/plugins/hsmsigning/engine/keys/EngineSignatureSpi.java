package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.io.ByteArrayOutputStream;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * Hashes locally and hands the digest to the {@link SigningKey}; for RSA-PSS it buffers the (small) signed data.
 */
final class EngineSignatureSpi extends SignatureSpi {

    /** Signed attributes and JAR signature files are a few kilobytes; anything far larger is a misuse. */
    private static final int MAX_PSS_INPUT = 16 * 1024 * 1024;

    private final SignatureScheme scheme;
    private DigestAlgorithm digest;
    private SigningKey key;
    private MessageDigest messageDigest;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    EngineSignatureSpi(SignatureScheme scheme, DigestAlgorithm digest) {
        this.scheme = scheme;
        this.digest = digest;
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
        if (!(privateKey instanceof EngineProvider.EngineKey engineKey)) {
            throw new InvalidKeyException("Only keys opened by the HSM Signing engine can sign here");
        }
        key = engineKey.signingKey();
        reset();
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
        throw new InvalidKeyException("This provider only signs; verify with the JDK's providers");
    }

    @Override
    protected void engineUpdate(byte b) throws SignatureException {
        engineUpdate(new byte[] {b}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
        if (scheme == SignatureScheme.RSA_PSS) {
            if (buffer.size() + len > MAX_PSS_INPUT) {
                throw new SignatureException("RSA-PSS input is limited to " + MAX_PSS_INPUT + " bytes");
            }
            buffer.write(b, off, len);
        } else {
            requireDigest().update(b, off, len);
        }
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        if (key == null) {
            throw new SignatureException("not initialised for signing");
        }
        try {
            SignatureAlgorithm algorithm = new SignatureAlgorithm(scheme, requireDigestAlgorithm());
            if (scheme == SignatureScheme.RSA_PSS) {
                return key.sign(algorithm, buffer.toByteArray());
            }
            return key.signDigest(algorithm, requireDigest().digest());
        } catch (SigningException e) {
            throw new SignatureException(e.getMessage(), e);
        } finally {
            reset();
        }
    }

    @Override
    protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
        throw new SignatureException("This provider only signs");
    }

    @Override
    protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
        if (scheme != SignatureScheme.RSA_PSS || !(params instanceof PSSParameterSpec pss)) {
            if (params == null) {
                return;
            }
            throw new InvalidAlgorithmParameterException("Only RSA-PSS takes parameters");
        }
        DigestAlgorithm requested;
        try {
            requested = DigestAlgorithm.parse(pss.getDigestAlgorithm());
        } catch (SigningException e) {
            throw new InvalidAlgorithmParameterException(e.getMessage());
        }
        if (digest != null && digest != requested) {
            throw new InvalidAlgorithmParameterException("PSS digest " + requested + " differs from " + digest);
        }
        SignatureAlgorithm standard = new SignatureAlgorithm(scheme, requested);
        PSSParameterSpec expected = standard.pssParameters();
        if (pss.getSaltLength() != expected.getSaltLength() || !"MGF1".equalsIgnoreCase(pss.getMGFAlgorithm())) {
            throw new InvalidAlgorithmParameterException("Only PSS with MGF1 and a salt as long as the digest is supported");
        }
        digest = requested;
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
        if (scheme != SignatureScheme.RSA_PSS || digest == null) {
            return null;
        }
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
            parameters.init(new SignatureAlgorithm(scheme, digest).pssParameters());
            return parameters;
        } catch (Exception e) {
            throw new IllegalStateException("RSASSA-PSS parameters are part of every Java runtime", e);
        }
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
        throw new InvalidParameterException("No string parameters");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
        throw new InvalidParameterException("No string parameters");
    }

    private DigestAlgorithm requireDigestAlgorithm() throws SignatureException {
        if (digest == null) {
            throw new SignatureException("RSASSA-PSS needs PSS parameters before signing");
        }
        return digest;
    }

    private MessageDigest requireDigest() throws SignatureException {
        if (messageDigest == null) {
            messageDigest = requireDigestAlgorithm().newDigest();
        }
        return messageDigest;
    }

    private void reset() {
        messageDigest = null;
        buffer.reset();
    }
}

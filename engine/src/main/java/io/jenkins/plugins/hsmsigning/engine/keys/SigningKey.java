package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/**
 * An opened key with its certificate chain. Every format signs through this class, so that the token only ever
 * receives a digest (or, for RSA-PSS, the few hundred bytes of signed attributes), never an artifact.
 * Thread-safe; close it to release the token and wipe the PIN.
 */
public abstract class SigningKey implements AutoCloseable {

    private final List<X509Certificate> chain;
    private final String description;
    private PublicKey checkingKey;
    private volatile List<X509CertificateHolder> chainHolders;

    SigningKey(List<X509Certificate> chain, String description) {
        this.chain = List.copyOf(chain);
        this.description = description;
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The leaf first, then its issuers as far as they are known. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * The chain as Bouncy Castle certificate holders, parsed once per key rather than once per signature: every CMS
     * signature embeds the whole chain.
     */
    public List<X509CertificateHolder> chainHolders() throws CertificateEncodingException, IOException {
        List<X509CertificateHolder> holders = chainHolders;
        if (holders == null) {
            List<X509CertificateHolder> parsed = new ArrayList<>();
            for (X509Certificate certificate : chain) {
                parsed.add(new X509CertificateHolder(certificate.getEncoded()));
            }
            holders = List.copyOf(parsed);
            chainHolders = holders;
        }
        return holders;
    }

    /** {@code RSA} or {@code EC}. */
    public String keyAlgorithm() {
        return certificate().getPublicKey().getAlgorithm();
    }

    public SignatureAlgorithm algorithm(DigestAlgorithm digest, boolean pss) throws SigningException {
        return new SignatureAlgorithm(SignatureScheme.forKey(keyAlgorithm(), pss), digest);
    }

    /**
     * Signs {@code message}: hashed here, except for RSA-PSS, whose input is hashed by the token. Every signature
     * is checked against the certificate before it is returned.
     */
    public byte[] sign(SignatureAlgorithm algorithm, byte[] message) throws SigningException {
        if (algorithm.scheme() == SignatureScheme.RSA_PSS) {
            byte[] signature = signRaw("RSASSA-PSS", algorithm.pssParameters(), message);
            checkSignature("RSASSA-PSS", algorithm.pssParameters(), message, signature);
            return signature;
        }
        return signDigest(algorithm, algorithm.digest().newDigest().digest(message));
    }

    /** Signs a digest computed by the caller (RSA PKCS#1 v1.5 and ECDSA only), checked like {@link #sign}. */
    public byte[] signDigest(SignatureAlgorithm algorithm, byte[] digest) throws SigningException {
        String raw;
        byte[] input;
        switch (algorithm.scheme()) {
            case RSA_PKCS1:
                raw = "NONEwithRSA";
                input = digestInfo(algorithm.digest(), digest);
                break;
            case ECDSA:
                raw = "NONEwithECDSA";
                input = digest;
                break;
            default:
                throw new IllegalArgumentException("RSA-PSS signs the message, not a digest");
        }
        byte[] signature = signRaw(raw, null, input);
        checkSignature(raw, null, input, signature);
        return signature;
    }

    /**
     * A signature that does not verify with the certificate means the certificate belongs to another key, or the
     * token computed a faulty signature; either way it must not leave the engine.
     */
    private void checkSignature(String raw, AlgorithmParameterSpec parameters, byte[] input, byte[] signature)
            throws SigningException {
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(raw, Providers.bouncyCastle());
            if (parameters != null) {
                verifier.setParameter(parameters);
            }
            verifier.initVerify(checkingKey());
            verifier.update(input);
            valid = verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new SigningException(SigningException.Kind.KEY, "The signature made with " + description
                    + " does not verify with its certificate " + certificate().getSubjectX500Principal().getName()
                    + ": the certificate belongs to another key, or the token returned a faulty signature.");
        }
    }

    /**
     * The certificate's key as Bouncy Castle's own, converted once: the self-check runs on every signature. Bouncy
     * Castle tests every RSA modulus it meets for primality once per JVM (three Miller-Rabin rounds on a 3072-bit
     * number, about a tenth of a second of a fresh JVM, on the path of every run); this key's modulus is the token's
     * own, whose signatures are checked against it, so it is registered as known instead. Moduli read from artifacts
     * being verified are still tested.
     */
    private synchronized PublicKey checkingKey() throws GeneralSecurityException {
        if (checkingKey == null) {
            PublicKey publicKey = certificate().getPublicKey();
            if (publicKey instanceof RSAPublicKey rsa) {
                new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent(), true);
            }
            checkingKey = KeyFactory.getInstance(publicKey.getAlgorithm(), Providers.bouncyCastle())
                    .generatePublic(new X509EncodedKeySpec(publicKey.getEncoded()));
        }
        return checkingKey;
    }

    /** One raw signature operation on the key: {@code NONEwithRSA}, {@code NONEwithECDSA} or {@code RSASSA-PSS}. */
    abstract byte[] signRaw(String jcaAlgorithm, AlgorithmParameterSpec parameters, byte[] input) throws SigningException;

    /** A JCA view of this key for libraries that want a {@link PrivateKey} and {@link Provider} (jsign, JarSigner). */
    public PrivateKey jcaKey() {
        return EngineProvider.keyFor(this);
    }

    public Provider jcaProvider() {
        return EngineProvider.INSTANCE;
    }

    /** Where the key lives, for logs and reports; never a secret. */
    public String description() {
        return description;
    }

    @Override
    public abstract void close();

    @Override
    public String toString() {
        return description;
    }

    private static byte[] digestInfo(DigestAlgorithm algorithm, byte[] digest) throws SigningException {
        try {
            return new DigestInfo(algorithm.algorithmIdentifier(), digest).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of a DigestInfo cannot fail", e);
        }
    }
}

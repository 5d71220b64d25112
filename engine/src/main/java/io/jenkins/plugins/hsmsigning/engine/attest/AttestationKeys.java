package io.jenkins.plugins.hsmsigning.engine.attest;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;

/**
 * What Sigstore's key-based verifiers expect of a public key: RSA PKCS#1 v1.5 with SHA-256, ECDSA with the hash that
 * matches the curve (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512), a hint that is the base64 SHA-256 of the key's
 * DER SubjectPublicKeyInfo (as cosign writes it), and the PEM form {@code cosign --key} reads.
 */
public final class AttestationKeys {

    private AttestationKeys() {
    }

    /** The digest an attestation signature by this key uses. */
    public static DigestAlgorithm digestFor(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits <= 256 ? DigestAlgorithm.SHA256 : bits <= 384 ? DigestAlgorithm.SHA384 : DigestAlgorithm.SHA512;
        }
        return DigestAlgorithm.SHA256;
    }

    /** {@code SHA256withRSA} or {@code SHA384withECDSA}: the JCA name of an attestation signature by this key. */
    public static String signatureAlgorithm(PublicKey key) {
        String scheme = key instanceof ECPublicKey ? "ECDSA" : "RSA";
        return digestFor(key).compactName() + "with" + scheme;
    }

    /** Base64 of the SHA-256 of the key's SubjectPublicKeyInfo: where a verifier looks the key up. */
    public static String hint(PublicKey key) {
        return Base64.getEncoder().encodeToString(DigestAlgorithm.SHA256.newDigest().digest(key.getEncoded()));
    }

    /** Whether {@code signature} over {@code message} verifies with {@code key}; false for any malformed input. */
    public static boolean verifies(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(signatureAlgorithm(key));
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (Exception e) {
            return false;
        }
    }

    /** {@code -----BEGIN PUBLIC KEY-----}, the form cosign, openssl and Sigstore clients read. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** The public keys of a PEM file: PUBLIC KEY blocks, and the key of each CERTIFICATE block. */
    public static List<PublicKey> readPem(String pem, String name) throws SigningException {
        List<PublicKey> keys = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object block;
            while ((block = parser.readObject()) != null) {
                if (block instanceof SubjectPublicKeyInfo info) {
                    keys.add(publicKey(info));
                } else if (block instanceof X509CertificateHolder certificate) {
                    keys.add(publicKey(certificate.getSubjectPublicKeyInfo()));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new SigningException(Kind.CONFIGURATION, "The public key file " + name + " cannot be read: "
                    + e.getMessage() + ".", e);
        }
        if (keys.isEmpty()) {
            throw new SigningException(Kind.CONFIGURATION, "The public key file " + name + " holds no PEM public key"
                    + " (-----BEGIN PUBLIC KEY-----) or certificate.");
        }
        return keys;
    }

    private static PublicKey publicKey(SubjectPublicKeyInfo info) throws IOException, GeneralSecurityException {
        String algorithm;
        if (info.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)) {
            algorithm = "RSA";
        } else if (info.getAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            algorithm = "EC";
        } else {
            throw new GeneralSecurityException("only RSA and EC keys are supported, not "
                    + info.getAlgorithm().getAlgorithm());
        }
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
    }

    /** Equal encodings: the same key, however it was parsed. */
    static boolean same(PublicKey a, PublicKey b) {
        return MessageDigest.isEqual(a.getEncoded(), b.getEncoded());
    }
}

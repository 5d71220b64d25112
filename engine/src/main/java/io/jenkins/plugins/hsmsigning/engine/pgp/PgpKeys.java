package io.jenkins.plugins.hsmsigning.engine.pgp;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyConverter;

/**
 * The OpenPGP identity of an X.509 signing key. Its creation time is the certificate's notBefore, so the key's
 * fingerprint is the same on every export and every machine; consumers import it once and verify with gpg.
 */
public final class PgpKeys {

    private PgpKeys() {
    }

    /** The OpenPGP public key (without user id) for a certificate's key. */
    public static PGPPublicKey publicKey(X509Certificate certificate) throws SigningException {
        String algorithm = certificate.getPublicKey().getAlgorithm();
        if (!algorithm.equals("EC") && !algorithm.equals("RSA")) {
            throw new SigningException(Kind.KEY, "The key of " + certificate.getSubjectX500Principal().getName()
                    + " is " + algorithm + ": the engine makes OpenPGP signatures with RSA and ECDSA keys only.");
        }
        int pgpAlgorithm = PgpAlgorithms.keyAlgorithm(algorithm.equals("EC")
                ? io.jenkins.plugins.hsmsigning.engine.SignatureScheme.ECDSA
                : io.jenkins.plugins.hsmsigning.engine.SignatureScheme.RSA_PKCS1);
        try {
            return new JcaPGPKeyConverter().getPGPPublicKey(pgpAlgorithm, certificate.getPublicKey(),
                    certificate.getNotBefore());
        } catch (PGPException e) {
            throw new SigningException(Kind.KEY, "The key of " + certificate.getSubjectX500Principal().getName()
                    + " cannot be used with OpenPGP: " + Reasons.detail(e) + ".", e);
        }
    }

    /** A placeholder private key: Bouncy Castle wants one, the signing itself happens on the token. */
    static PGPPrivateKey handle(PGPPublicKey publicKey) {
        return new PGPPrivateKey(publicKey.getKeyID(), publicKey.getPublicKeyPacket(), null);
    }

    /** The armored public key with a user id certified by the key itself (one signature on the token). */
    public static String exportArmored(SigningKey key, String userId) throws SigningException {
        X509Certificate certificate = key.certificate();
        PGPPublicKey publicKey = publicKey(certificate);
        String uid = userId == null || userId.isBlank() ? defaultUserId(certificate) : userId;
        try {
            SignatureAlgorithm algorithm = key.algorithm(DigestAlgorithm.SHA256, false);
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new TokenPgpSigner(key, algorithm, publicKey.getKeyID(), DigestAlgorithm.SHA256.newDigest()),
                    publicKey);
            generator.init(PGPSignature.POSITIVE_CERTIFICATION, handle(publicKey));
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            Date now = new Date();
            hashed.setSignatureCreationTime(false, now.before(certificate.getNotBefore()) ? certificate.getNotBefore() : now);
            hashed.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
            hashed.setPreferredHashAlgorithms(false,
                    new int[] {HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA512});
            hashed.setIssuerFingerprint(false, publicKey);
            long lifetime = (certificate.getNotAfter().getTime() - certificate.getNotBefore().getTime()) / 1000;
            hashed.setKeyExpirationTime(false, lifetime);
            generator.setHashedSubpackets(hashed.generate());
            PGPSignature certification = generator.generateCertification(uid, publicKey);
            PGPPublicKey certified = PGPPublicKey.addCertification(publicKey, uid, certification);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(out)) {
                new PGPPublicKeyRing(List.of(certified)).encode(armored);
            }
            return out.toString(java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IllegalStateException e) {
            throw unwrap(e);
        } catch (PGPException | IOException e) {
            throw new SigningException(Kind.KEY, "The OpenPGP public key of " + key.description()
                    + " could not be made: " + Reasons.detail(e) + ".", e);
        }
    }

    /** Reads public keys from an armored or binary key file (one or more key rings). */
    public static List<PGPPublicKey> read(byte[] keyFile, String name) throws SigningException {
        List<PGPPublicKey> keys = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(keyFile))) {
            JcaPGPObjectFactory factory = new JcaPGPObjectFactory(in);
            Object o;
            while ((o = factory.nextObject()) != null) {
                if (o instanceof PGPPublicKeyRing ring) {
                    ring.getPublicKeys().forEachRemaining(keys::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new SigningException(Kind.INPUT, "The OpenPGP key file " + name + " cannot be read.", e);
        }
        if (keys.isEmpty()) {
            throw new SigningException(Kind.INPUT, "The OpenPGP key file " + name + " holds no public key.");
        }
        return keys;
    }

    /** Upper-case hex v4 fingerprint, as gpg prints it. */
    public static String fingerprint(PGPPublicKey key) {
        return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
    }

    /** "Common Name &lt;email&gt;" from the certificate subject. */
    static String defaultUserId(X509Certificate certificate) {
        String name = null;
        String email = null;
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    name = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("EMAILADDRESS") || rdn.getType().equals("1.2.840.113549.1.9.1")) {
                    email = rdn.getValue().toString();
                }
            }
        } catch (Exception e) {
            name = certificate.getSubjectX500Principal().getName();
        }
        if (name == null) {
            name = certificate.getSubjectX500Principal().getName();
        }
        return email == null ? name : name + " <" + email + ">";
    }

    static SigningException unwrap(IllegalStateException e) {
        if (e.getCause() instanceof SigningException s) {
            return s;
        }
        return new SigningException(Kind.KEY, "OpenPGP signing failed: " + Reasons.detail(e) + ".", e);
    }
}

package io.jenkins.plugins.hsmsigning.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/** The message digests a signature may use. SHA-1 and MD5 are deliberately absent. */
public enum DigestAlgorithm {
    SHA256("SHA-256", NISTObjectIdentifiers.id_sha256, 32),
    SHA384("SHA-384", NISTObjectIdentifiers.id_sha384, 48),
    SHA512("SHA-512", NISTObjectIdentifiers.id_sha512, 64);

    private final String jcaName;
    private final ASN1ObjectIdentifier oid;
    private final int length;

    DigestAlgorithm(String jcaName, ASN1ObjectIdentifier oid, int length) {
        this.jcaName = jcaName;
        this.oid = oid;
        this.length = length;
    }

    /** The JCA name, which is also the name users type: {@code SHA-256}. */
    public String jcaName() {
        return jcaName;
    }

    /** {@code SHA256}, the spelling inside JCA signature names such as {@code SHA256withRSA}. */
    public String compactName() {
        return jcaName.replace("-", "");
    }

    public ASN1ObjectIdentifier oid() {
        return oid;
    }

    public AlgorithmIdentifier algorithmIdentifier() {
        return new AlgorithmIdentifier(oid, DERNull.INSTANCE);
    }

    public int length() {
        return length;
    }

    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is part of every Java runtime", e);
        }
    }

    /** Accepts {@code SHA-256}, {@code SHA256} and {@code sha256}. */
    public static DigestAlgorithm parse(String name) throws SigningException {
        String compact = name.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (DigestAlgorithm d : values()) {
            if (d.compactName().equals(compact)) {
                return d;
            }
        }
        throw new SigningException(SigningException.Kind.CONFIGURATION,
                "Unknown digest algorithm '" + name + "': use SHA-256, SHA-384 or SHA-512.");
    }

    public static DigestAlgorithm fromOid(ASN1ObjectIdentifier oid) {
        for (DigestAlgorithm d : values()) {
            if (d.oid.equals(oid)) {
                return d;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return jcaName;
    }
}

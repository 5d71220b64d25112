package io.jenkins.plugins.hsmsigning.engine.keys;

import com.sun.jna.NativeLong;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

/**
 * Onboarding a token key without other tools: list the keys (with or without a certificate), make a PKCS#10
 * request signed by a key on the token, and store the issued certificate beside its key with the same CKA_ID, which
 * is what SunPKCS11 needs to see the key at all. Keys are named by their CKA_LABEL, as {@code keyAlias} elsewhere.
 */
public final class TokenObjects implements AutoCloseable {

    /** A private key on the token, with its certificate (null before one is imported). */
    public record KeyInfo(String alias, String id, String algorithm, X509Certificate certificate) {
    }

    private final Pkcs11Session session;
    private final String tokenName;

    private TokenObjects(Pkcs11Session session, String tokenName) {
        this.session = session;
        this.tokenName = tokenName;
    }

    /** Logs in to the token chosen by exactly one of label, slot id and slot list index. */
    public static TokenObjects open(Path library, String tokenLabel, Long slotId, Integer slotListIndex, Secret pin)
            throws SigningException {
        SharedLibraries.check(library);
        long slot = Pkcs11Slots.resolve(library, tokenLabel, slotId, slotListIndex);
        String name = "PKCS#11 token " + (tokenLabel != null ? "'" + tokenLabel + "' " : "") + "(library " + library
                + ", slot " + slot + ")";
        return new TokenObjects(Pkcs11Session.open(library, slot, name, pin), name);
    }


    /** Every private key, by alias, with its algorithm and the certificate stored with the same CKA_ID. */
    public List<KeyInfo> keys() throws SigningException {
        List<KeyInfo> keys = new ArrayList<>();
        for (NativeLong key : session.find(Map.of(Pkcs11Session.CKA_CLASS, Pkcs11Session.CKO_PRIVATE_KEY))) {
            byte[] label = session.attribute(key, Pkcs11Session.CKA_LABEL);
            byte[] id = session.attribute(key, Pkcs11Session.CKA_ID);
            String alias = label == null ? "" : new String(label, StandardCharsets.UTF_8);
            keys.add(new KeyInfo(alias, id == null ? "" : HexFormat.of().formatHex(id), algorithm(id),
                    id == null ? null : certificate(id)));
        }
        keys.sort((a, b) -> a.alias().compareTo(b.alias()));
        return keys;
    }

    /**
     * A DER PKCS#10 request for the key {@code alias}, signed by it on the token (SHA-256 with RSA PKCS#1 v1.5 or
     * ECDSA), with {@code extensions} requested, if any.
     */
    public byte[] certificationRequest(String alias, X500Name subject, Extensions extensions)
            throws SigningException {
        NativeLong key = privateKey(alias);
        byte[] id = session.attribute(key, Pkcs11Session.CKA_ID);
        SubjectPublicKeyInfo publicKey = publicKey(id, alias);
        PKCS10CertificationRequestBuilder builder = new PKCS10CertificationRequestBuilder(subject, publicKey);
        if (extensions != null) {
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions);
        }
        boolean rsa = publicKey.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption);
        TokenContentSigner signer = new TokenContentSigner(key, rsa);
        try {
            byte[] request = builder.build(signer).getEncoded();
            if (signer.failure != null) {
                throw signer.failure;
            }
            return request;
        } catch (IOException e) {
            throw new SigningException(Kind.KEY, "The certificate request for '" + alias + "' cannot be encoded.", e);
        }
    }

    /**
     * Stores {@code certificate} on the token with the CKA_ID and label of the key {@code alias}, after checking that
     * it certifies that key's public key. A key that already has a certificate is refused.
     */
    public void importCertificate(String alias, X509Certificate certificate) throws SigningException {
        NativeLong key = privateKey(alias);
        byte[] id = session.attribute(key, Pkcs11Session.CKA_ID);
        if (id == null || id.length == 0) {
            throw new SigningException(Kind.KEY, "The key '" + alias + "' on " + tokenName + " has no CKA_ID, so no "
                    + "certificate can be paired with it.");
        }
        if (!Arrays.equals(encoded(publicKey(id, alias)), certificate.getPublicKey().getEncoded())) {
            throw new SigningException(Kind.CONFIGURATION, "The certificate " + certificate.getSubjectX500Principal()
                    .getName() + " is not for the key '" + alias + "' on " + tokenName + ": its public key differs.");
        }
        if (certificate(id) != null) {
            throw new SigningException(Kind.CONFIGURATION, "The key '" + alias + "' on " + tokenName + " already has "
                    + "a certificate; delete it with the token's tool first.");
        }
        Map<Long, Object> attributes = new LinkedHashMap<>();
        attributes.put(Pkcs11Session.CKA_CLASS, Pkcs11Session.CKO_CERTIFICATE);
        attributes.put(Pkcs11Session.CKA_CERTIFICATE_TYPE, 0L);
        attributes.put(Pkcs11Session.CKA_TOKEN, Boolean.TRUE);
        attributes.put(Pkcs11Session.CKA_ID, id);
        attributes.put(Pkcs11Session.CKA_LABEL, alias.getBytes(StandardCharsets.UTF_8));
        attributes.put(Pkcs11Session.CKA_SUBJECT, certificate.getSubjectX500Principal().getEncoded());
        attributes.put(Pkcs11Session.CKA_ISSUER, certificate.getIssuerX500Principal().getEncoded());
        attributes.put(Pkcs11Session.CKA_SERIAL_NUMBER, encoded(new ASN1Integer(certificate.getSerialNumber())));
        try {
            attributes.put(Pkcs11Session.CKA_VALUE, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new SigningException(Kind.CONFIGURATION, "The certificate cannot be encoded.", e);
        }
        session.create(attributes);
    }

    @Override
    public void close() {
        session.close();
    }

    private NativeLong privateKey(String alias) throws SigningException {
        List<NativeLong> found = session.find(Map.of(Pkcs11Session.CKA_CLASS, Pkcs11Session.CKO_PRIVATE_KEY,
                Pkcs11Session.CKA_LABEL, alias.getBytes(StandardCharsets.UTF_8)));
        if (found.size() != 1) {
            throw new SigningException(Kind.KEY, tokenName + (found.isEmpty() ? " has no private key with label '"
                    : " has several private keys with label '") + alias + "'.");
        }
        return found.get(0);
    }

    private X509Certificate certificate(byte[] id) throws SigningException {
        for (NativeLong object : session.find(Map.of(Pkcs11Session.CKA_CLASS, Pkcs11Session.CKO_CERTIFICATE,
                Pkcs11Session.CKA_ID, id))) {
            byte[] value = session.attribute(object, Pkcs11Session.CKA_VALUE);
            if (value != null) {
                try {
                    return (X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(value));
                } catch (CertificateException e) {
                    // not an X.509 certificate: keep looking
                }
            }
        }
        return null;
    }

    private String algorithm(byte[] id) throws SigningException {
        try {
            SubjectPublicKeyInfo info = publicKey(id, "");
            if (info.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)) {
                return "RSA-" + RSAPublicKey.getInstance(info.parsePublicKey()).getModulus().bitLength();
            }
            ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(info.getAlgorithm().getParameters());
            String name = ECNamedCurveTable.getName(curve);
            return "EC " + (name == null ? curve.getId() : name);
        } catch (SigningException | IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The public key object with CKA_ID {@code id}, as a SubjectPublicKeyInfo. */
    private SubjectPublicKeyInfo publicKey(byte[] id, String alias) throws SigningException {
        List<NativeLong> found = id == null ? List.of() : session.find(Map.of(Pkcs11Session.CKA_CLASS,
                Pkcs11Session.CKO_PUBLIC_KEY, Pkcs11Session.CKA_ID, id));
        if (found.isEmpty()) {
            throw new SigningException(Kind.KEY, "The key '" + alias + "' on " + tokenName + " has no public key "
                    + "object with its CKA_ID.");
        }
        NativeLong object = found.get(0);
        Long type = session.ulongAttribute(object, Pkcs11Session.CKA_KEY_TYPE);
        try {
            if (type != null && type == Pkcs11Session.CKK_RSA) {
                BigInteger modulus = new BigInteger(1, session.attribute(object, Pkcs11Session.CKA_MODULUS));
                BigInteger exponent = new BigInteger(1, session.attribute(object, Pkcs11Session.CKA_PUBLIC_EXPONENT));
                return new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption,
                        DERNull.INSTANCE), new RSAPublicKey(modulus, exponent));
            }
            if (type != null && type == Pkcs11Session.CKK_EC) {
                ASN1Primitive params = ASN1Primitive.fromByteArray(session.attribute(object,
                        Pkcs11Session.CKA_EC_PARAMS));
                byte[] point = session.attribute(object, Pkcs11Session.CKA_EC_POINT);
                return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, params),
                        ecPoint(point));
            }
        } catch (IOException | RuntimeException e) {
            throw new SigningException(Kind.KEY, "The public key of '" + alias + "' on " + tokenName + " cannot be "
                    + "read.", e);
        }
        throw new SigningException(Kind.KEY, "The key '" + alias + "' on " + tokenName + " is neither RSA nor EC.");
    }

    /** CKA_EC_POINT is a DER OCTET STRING around the point (PKCS#11 2.20+); some tokens give the bare point. */
    private static byte[] ecPoint(byte[] point) {
        boolean wrapped = point.length > 2 && point[0] == 0x04 && ((point[1] & 0xff) == point.length - 2
                || point[1] == (byte) 0x81 && (point[2] & 0xff) == point.length - 3);
        return wrapped ? ASN1OctetString.getInstance(point).getOctets() : point;
    }

    private static byte[] encoded(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded("DER");
        } catch (IOException e) {
            throw new IllegalStateException("DER always encodes", e);
        }
    }

    /** Signs the request on the token: SHA-256 with RSA in one call, or a SHA-256 digest then raw ECDSA. */
    private final class TokenContentSigner implements ContentSigner {
        private final NativeLong key;
        private final boolean rsa;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private SigningException failure;

        TokenContentSigner(NativeLong key, boolean rsa) {
            this.key = key;
            this.rsa = rsa;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return rsa ? new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption,
                    DERNull.INSTANCE)
                    : new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
        }

        @Override
        public OutputStream getOutputStream() {
            return data;
        }

        @Override
        public byte[] getSignature() {
            try {
                if (rsa) {
                    return session.sign(key, Pkcs11Session.CKM_SHA256_RSA_PKCS, data.toByteArray());
                }
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(data.toByteArray());
                byte[] raw = session.sign(key, Pkcs11Session.CKM_ECDSA, digest);
                int half = raw.length / 2;
                return encoded(new DERSequence(new ASN1Encodable[] {
                    new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, half))),
                    new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length)))}));
            } catch (SigningException e) {
                failure = e;
                return new byte[0];
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is in every Java runtime", e);
            }
        }
    }
}

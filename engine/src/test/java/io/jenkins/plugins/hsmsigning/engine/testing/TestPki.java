package io.jenkins.plugins.hsmsigning.engine.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An in-memory test certificate authority (software RSA-3072 root) that issues code-signing, TSA and negative-test
 * certificates with Bouncy Castle. Only JDK providers are used; nothing is registered in {@code Security}.
 */
public final class TestPki {

    private static final String ORGANIZATION = "HSM Signing Tests";
    private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration YEAR = Duration.ofDays(365);

    private static TestPki shared;

    private final SecureRandom random = new SecureRandom();
    private final KeyPair caKeyPair;
    private final X509Certificate caCertificate;

    private TestPki(String caName) throws GeneralSecurityException, IOException, OperatorCreationException {
        this(caName, null);
    }

    /** A root CA when {@code parent} is null, else an intermediate CA issued by {@code parent}. */
    private TestPki(String caName, TestPki parent)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        caKeyPair = generateRsa(3072);
        X500Name name = name(caName);
        // Valid well before and after every issued certificate, so expired leaves fail only on their own dates.
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                parent == null ? name : X500Name.getInstance(parent.caCertificate.getSubjectX500Principal()
                        .getEncoded()), serial(),
                Date.from(now.minus(YEAR.multipliedBy(5))), Date.from(now.plus(YEAR.multipliedBy(20))),
                name, caKeyPair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKeyPair.getPublic()));
        caCertificate = (parent == null ? this : parent).sign(builder);
    }

    /** The CA shared by all tests of this JVM, subject {@code CN=HSM Signing Test CA,O=HSM Signing Tests}. */
    public static synchronized TestPki shared() {
        if (shared == null) {
            shared = create("HSM Signing Test CA");
        }
        return shared;
    }

    /** A new CA with subject {@code CN=<caName>,O=HSM Signing Tests}, e.g. an untrusted one for negative tests. */
    public static TestPki create(String caName) {
        try {
            return new TestPki(caName);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create test CA " + caName, e);
        }
    }

    /** An intermediate CA with subject {@code CN=<caName>,O=HSM Signing Tests}, issued by this CA. */
    public TestPki intermediate(String caName) {
        try {
            return new TestPki(caName, this);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create intermediate CA " + caName, e);
        }
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public PrivateKey caKey() {
        return caKeyPair.getPrivate();
    }

    /** A code-signing certificate valid from one day ago for two years. */
    public X509Certificate issueCodeSigning(PublicKey key, String commonName) {
        Instant now = Instant.now();
        return issueCodeSigning(key, commonName, Date.from(now.minus(DAY)), Date.from(now.plus(YEAR.multipliedBy(2))));
    }

    /** A code-signing certificate (EKU codeSigning, keyUsage digitalSignature, CA:false) with explicit validity. */
    public X509Certificate issueCodeSigning(PublicKey key, String commonName, Date notBefore, Date notAfter) {
        return issue(key, commonName, notBefore, notAfter, KeyPurposeId.id_kp_codeSigning, false);
    }

    /**
     * A code-signing certificate whose authority information access names the OCSP responder {@code ocspUrl} and
     * whose CRL distribution point is {@code crlUrl} (either may be null).
     */
    public X509Certificate issueCodeSigning(PublicKey key, String commonName, String ocspUrl, String crlUrl) {
        Instant now = Instant.now();
        return issue(key, commonName, Date.from(now.minus(DAY)), Date.from(now.plus(YEAR.multipliedBy(2))),
                KeyPurposeId.id_kp_codeSigning, false, builder -> {
                    if (ocspUrl != null) {
                        builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                                AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier,
                                        ocspUrl)));
                    }
                    if (crlUrl != null) {
                        builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(
                                new DistributionPoint[] {new DistributionPoint(new DistributionPointName(
                                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
                                                crlUrl))), null, null)}));
                    }
                });
    }

    /** A certificate this CA delegates OCSP signing to (EKU OCSPSigning). */
    public X509Certificate issueOcspResponder(PublicKey key, String commonName) {
        Instant now = Instant.now();
        return issue(key, commonName, Date.from(now.minus(DAY)), Date.from(now.plus(YEAR.multipliedBy(2))),
                KeyPurposeId.id_kp_OCSPSigning, false, builder -> { });
    }

    /** A certificate with key usage digitalSignature and no extended key usage at all, which allows any use. */
    public X509Certificate issueWithoutExtendedKeyUsage(PublicKey key, String commonName) {
        Instant now = Instant.now();
        return issue(key, commonName, Date.from(now.minus(DAY)), Date.from(now.plus(YEAR.multipliedBy(2))), null,
                false, builder -> { });
    }

    /**
     * A CRL of this CA issued at {@code thisUpdate}, next due at {@code nextUpdate}, listing each serial number of
     * {@code revoked} with its revocation time (reason keyCompromise).
     */
    public X509CRL crl(Instant thisUpdate, Instant nextUpdate, Map<BigInteger, Instant> revoked) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(caCertificate
                    .getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            revoked.forEach((serial, at) -> builder.addCRLEntry(serial, Date.from(at), CRLReason.keyCompromise));
            return new JcaX509CRLConverter().getCRL(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM)
                    .build(caKeyPair.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a CRL", e);
        }
    }

    /** Like {@link #issueCodeSigning(PublicKey, String)} but with EKU emailProtection only. */
    public X509Certificate issueWithoutCodeSigning(PublicKey key, String commonName) {
        Instant now = Instant.now();
        return issue(key, commonName, Date.from(now.minus(DAY)), Date.from(now.plus(YEAR.multipliedBy(2))),
                KeyPurposeId.id_kp_emailProtection, false);
    }

    /** A time-stamping certificate; its EKU is critical, as RFC 3161 and BC's token generator require. */
    public X509Certificate issueTsa(PublicKey key, String commonName) {
        Instant now = Instant.now();
        return issue(key, commonName, Date.from(now.minus(DAY)), Date.from(now.plus(YEAR.multipliedBy(2))),
                KeyPurposeId.id_kp_timeStamping, true);
    }

    /** Writes the CA certificate as PEM to {@code file} and returns {@code file}. */
    public Path writeCaPem(Path file) {
        try {
            return Files.writeString(file, toPem(caCertificate), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PKCS#12 keystore (JDK "PKCS12") holding one private key entry, for development-key tests. */
    public byte[] pkcs12(KeyPair keyPair, X509Certificate[] chain, String alias, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, keyPair.getPrivate(), password, chain);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create PKCS#12 keystore", e);
        }
    }

    /** Concatenated PEM of the given certificates, in order. */
    public static String toPem(X509Certificate... certificates) {
        Base64.Encoder encoder = Base64.getMimeEncoder(64, new byte[] {'\n'});
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n")
                        .append(encoder.encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return pem.toString();
    }

    /** A software RSA key pair. */
    public static KeyPair generateRsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A software EC key pair on a named curve such as {@code secp256r1} or {@code secp384r1}. */
    public static KeyPair generateEc(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds extensions to a certificate being issued. */
    private interface Extensions {
        void add(X509v3CertificateBuilder builder) throws IOException;
    }

    private X509Certificate issue(PublicKey key, String commonName, Date notBefore, Date notAfter,
            KeyPurposeId purpose, boolean purposeCritical) {
        return issue(key, commonName, notBefore, notAfter, purpose, purposeCritical, builder -> { });
    }

    private X509Certificate issue(PublicKey key, String commonName, Date notBefore, Date notAfter,
            KeyPurposeId purpose, boolean purposeCritical, Extensions more) {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(),
                    notBefore, notAfter, name(commonName), key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(caCertificate));
            if (purpose != null) {
                builder.addExtension(Extension.extendedKeyUsage, purposeCritical, new ExtendedKeyUsage(purpose));
            }
            more.add(builder);
            return sign(builder);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue certificate for " + commonName, e);
        }
    }

    private X509Certificate sign(X509v3CertificateBuilder builder)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(caKeyPair.getPrivate())));
    }

    private BigInteger serial() {
        return new BigInteger(127, random).setBit(126);
    }

    /** Encoded O first, so {@code X500Principal.getName()} reads {@code CN=<commonName>,O=HSM Signing Tests}. */
    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, ORGANIZATION)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }
}

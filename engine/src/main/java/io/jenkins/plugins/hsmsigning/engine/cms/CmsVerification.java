package io.jenkins.plugins.hsmsigning.engine.cms;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.keys.Providers;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.CarriedCertificates;
import io.jenkins.plugins.hsmsigning.engine.verify.SignerAlgorithms;
import io.jenkins.plugins.hsmsigning.engine.verify.SignerOutcomes;
import io.jenkins.plugins.hsmsigning.engine.verify.TimestampVerifier;
import io.jenkins.plugins.hsmsigning.engine.verify.TrustValidator;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.encoders.Hex;

/**
 * Verifies a detached CMS signature against digests the engine computed: for each signer, content digest, signature
 * value, the timestamp, then the signer's certificate at the timestamp's time (or now) against the trust anchors.
 * Several signers are judged together ({@link SignerOutcomes}): one trusted good signature carries the file unless
 * another is bad; signers whose certificate is unknown or untrusted are listed, not fatal.
 */
final class CmsVerification {

    private final VerificationOptions options;
    private final TrustValidator trust;

    CmsVerification(VerificationOptions options) {
        this.options = options;
        this.trust = new TrustValidator(options);
    }

    static CMSSignedData parse(byte[] signatureFile, String name) throws SigningException {
        try {
            CMSSignedData signed = new CMSSignedData(signatureFile);
            if (signed.getSignerInfos().size() == 0) {
                throw CmsFormat.malformed(name);
            }
            return signed;
        } catch (Exception e) {
            throw new SigningException(Kind.INPUT, "The signature file " + name
                    + " is not a CMS signature (it is damaged or of another format).", e);
        }
    }

    VerificationOutcome verify(byte[] signatureFile, String name, ContentHashes content) {
        CMSSignedData signed;
        try {
            Map<ASN1ObjectIdentifier, byte[]> hashes = new HashMap<>();
            for (DigestAlgorithm d : DigestAlgorithm.values()) {
                try {
                    hashes.put(d.oid(), content.digest(d));
                } catch (IllegalArgumentException notComputed) {
                    // only the digests the signature names were computed
                }
            }
            parse(signatureFile, name);
            signed = new CMSSignedData(hashes, signatureFile);
        } catch (SigningException | CMSException | RuntimeException e) {
            return VerificationOutcome.failed(Failure.MALFORMED, "the signature file " + name
                    + " is not a CMS signature");
        }
        List<X509Certificate> certificates = new ArrayList<>(CarriedCertificates.of(signed.getCertificates()));
        certificates.addAll(options.x509().certificates()); // openssl cms -nocerts leaves the signer's out
        List<VerificationOutcome> outcomes = new ArrayList<>();
        for (SignerInformation signer : signed.getSignerInfos()) {
            outcomes.add(verifySigner(signer, certificates, name));
        }
        return SignerOutcomes.combine(outcomes);
    }

    private VerificationOutcome verifySigner(SignerInformation signer, List<X509Certificate> certificates,
            String name) {
        X509Certificate certificate = certificates.stream()
                .filter(c -> signer.getSID().match(holder(c))).findFirst().orElse(null);
        String digestName = SignerAlgorithms.digest(signer);
        String signatureAlgorithm = SignerAlgorithms.signature(signer);
        if (certificate == null) {
            return VerificationOutcome.failed(Failure.UNTRUSTED, "the certificate of a signer of " + name + " ("
                    + signerId(signer) + ") is neither in the signature nor among the certificates given, so that signer is "
                    + "unknown", null, digestName,
                    signatureAlgorithm, null).describedAs(signatureAlgorithm, signingTime(signer));
        }
        SignerDetails who = SignerDetails.of(certificate);
        return verifySigner(signer, certificate, certificates, name, who, digestName, signatureAlgorithm)
                .describedAs(SignerAlgorithms.describe(signer, certificate), signingTime(signer));
    }

    private VerificationOutcome verifySigner(SignerInformation signer, X509Certificate certificate,
            List<X509Certificate> certificates, String name, SignerDetails who, String digestName,
            String signatureAlgorithm) {
        Failure refused = SignerAlgorithms.refusal(signer.getDigestAlgorithmID().getAlgorithm());
        if (refused != null) {
            return VerificationOutcome.failed(refused, SignerAlgorithms.refusalReason(
                    signer.getDigestAlgorithmID().getAlgorithm()), who, digestName, signatureAlgorithm, null);
        }
        try {
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Providers.bouncyCastle())
                    .build(certificate))) {
                return VerificationOutcome.failed(Failure.SIGNATURE_INVALID, "the signature value does not verify: "
                        + name + " was altered or made with another key", who, digestName, signatureAlgorithm, null);
            }
        } catch (CMSSignerDigestMismatchException e) {
            return VerificationOutcome.failed(Failure.CONTENT_MODIFIED, "the content does not match " + name
                    + ": the artifact was changed after it was signed, or the signature belongs to another file", who,
                    digestName, signatureAlgorithm, null);
        } catch (CMSVerifierCertificateNotValidException e) {
            return VerificationOutcome.failed(Failure.CERTIFICATE_EXPIRED, "the signer's certificate was not valid at "
                    + "the signing time the signature states", who, digestName, signatureAlgorithm, null);
        } catch (Exception e) {
            return VerificationOutcome.failed(Failure.SIGNATURE_INVALID, "the signature value does not verify ("
                    + Reasons.detail(e) + ")", who, digestName, signatureAlgorithm, null);
        }
        TimeStampToken token;
        try {
            token = timestampToken(signer);
        } catch (Exception e) {
            return VerificationOutcome.failed(Failure.TIMESTAMP_INVALID, "the timestamp in " + name
                    + " cannot be read", who, digestName, signatureAlgorithm, null);
        }
        TimestampDetails timestamp = null;
        if (token != null) {
            VerificationOutcome bad = new TimestampVerifier(trust).check(token, signer.getSignature(), certificate);
            if (bad != null) {
                return VerificationOutcome.failed(bad.failure(), bad.reason(), who, digestName, signatureAlgorithm,
                        null);
            }
            timestamp = new TimestampDetails(tsaName(token), token.getTimeStampInfo().getGenTime().toInstant());
        }
        return trust.conclude(certificate, certificates, timestamp, options.clock().instant(), who, digestName,
                signatureAlgorithm);
    }

    /** How a signer names its certificate: issuer and serial number, or subject key identifier. */
    private static String signerId(SignerInformation signer) {
        var sid = signer.getSID();
        if (sid.getIssuer() != null) {
            return "issued by " + sid.getIssuer() + ", serial number " + sid.getSerialNumber().toString(16)
                    .toUpperCase(Locale.ROOT);
        }
        return "subject key identifier " + Hex.toHexString(
                sid.getSubjectKeyIdentifier()).toUpperCase(Locale.ROOT);
    }

    /** The signing time the signer claims (a signed attribute), or null. */
    private static Instant signingTime(SignerInformation signer) {
        try {
            Attribute attribute = signer.getSignedAttributes() == null ? null
                    : signer.getSignedAttributes().get(CMSAttributes.signingTime);
            if (attribute == null) {
                return null;
            }
            return org.bouncycastle.asn1.cms.Time.getInstance(attribute.getAttrValues().getObjectAt(0)).getDate()
                    .toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static TimeStampToken timestampToken(SignerInformation signer) throws Exception {
        if (signer.getUnsignedAttributes() == null) {
            return null;
        }
        Attribute attribute = signer.getUnsignedAttributes().get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
        if (attribute == null) {
            return null;
        }
        return new TimeStampToken(ContentInfo.getInstance(attribute.getAttrValues().getObjectAt(0)));
    }

    private static String tsaName(TimeStampToken token) {
        try {
            return Timestamper.signerCertificate(token).getSubjectX500Principal().getName();
        } catch (Exception e) {
            return null;
        }
    }

    private static X509CertificateHolder holder(X509Certificate certificate) {
        try {
            return new X509CertificateHolder(certificate.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException("a parsed certificate always re-encodes", e);
        }
    }
}

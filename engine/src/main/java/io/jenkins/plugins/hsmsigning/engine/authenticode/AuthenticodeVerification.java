package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChecks;
import io.jenkins.plugins.hsmsigning.engine.keys.Providers;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.CarriedCertificates;
import io.jenkins.plugins.hsmsigning.engine.verify.SignerAlgorithms;
import io.jenkins.plugins.hsmsigning.engine.verify.TimestampVerifier;
import io.jenkins.plugins.hsmsigning.engine.verify.TrustValidator;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jsign.Signable;
import net.jsign.asn1.authenticode.AuthenticodeObjectIdentifiers;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * Verifies every Authenticode signature a file carries, nested ones included (jsign 7.4 has no verifier): the
 * signer's signature value, the file's Authenticode digest recomputed by jsign against the signed one, the timestamp
 * (RFC 3161 or legacy), then the signer's chain at the timestamp's time, or now.
 */
final class AuthenticodeVerification {

    /** NuGet signs a short text that names the package digest: {@code Version:1}, then {@code <oid>-Hash:<base64>}. */
    private static final Pattern NUGET_CONTENT = Pattern.compile("\\AVersion:1\\n\\n([0-9.]+)-Hash:");

    private final VerificationOptions options;
    private final TrustValidator trust;

    AuthenticodeVerification(VerificationOptions options) {
        this.options = options;
        this.trust = new TrustValidator(options);
    }

    List<VerificationOutcome> verify(Path file, String name) throws SigningException {
        AuthenticodeKind kind = AuthenticodeFormat.kindOf(file, name);
        try (Signable signable = kind.openReadOnly(file)) {
            List<VerificationOutcome> outcomes = new ArrayList<>();
            List<CMSSignedData> signatures = signable.getSignatures();
            PlatformDigest platform = signatures.isEmpty() ? null : PlatformDigest.of(kind, file);
            for (CMSSignedData signature : signatures) {
                // jsign leaves the content detached; re-reading the structure attaches the encapsulated content
                outcomes.add(verify(signable, new CMSSignedData(signature.toASN1Structure()), platform));
            }
            return outcomes;
        } catch (IOException | CMSException | RuntimeException e) {
            throw new SigningException(Kind.INPUT, "The Authenticode signatures of " + name + " cannot be read: it is "
                    + "damaged or not really " + kind.description() + ".", e);
        }
    }

    private VerificationOutcome verify(Signable signable, CMSSignedData signed, PlatformDigest platform) {
        if (signed.getSignerInfos().size() != 1) {
            return VerificationOutcome.failed(Failure.MALFORMED, "an Authenticode signature must have exactly one "
                    + "signer, this one has " + signed.getSignerInfos().size());
        }
        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
        List<X509Certificate> certificates = CarriedCertificates.of(signed.getCertificates());
        X509Certificate certificate = signerCertificate(signer, certificates);
        if (certificate == null) {
            return VerificationOutcome.failed(Failure.MALFORMED, "the signature does not contain the signer's "
                    + "certificate");
        }
        SignerDetails who = SignerDetails.of(certificate);
        String digestName = SignerAlgorithms.digest(signer);
        String algorithmName = SignerAlgorithms.signature(signer);
        VerificationOutcome bad = checkSignature(signed, signer, certificate);
        if (bad == null) {
            bad = checkContent(signable, signed);
        }
        if (bad == null && platform != null) {
            bad = platform.check(DigestAlgorithm.fromOid(signer.getDigestAlgorithmID().getAlgorithm()));
        }
        String described = SignerAlgorithms.describe(signer, certificate);
        if (bad != null) {
            return VerificationOutcome.failed(bad.failure(), bad.reason(), who, digestName, algorithmName, null)
                    .describedAs(described, null);
        }
        TimestampDetails timestamp;
        try {
            timestamp = timestamp(signer, certificate, certificates);
        } catch (TimestampProblem e) {
            return VerificationOutcome.failed(Failure.TIMESTAMP_INVALID, e.getMessage(), who, digestName,
                    algorithmName, null).describedAs(described, null);
        }
        return trust.conclude(certificate, certificates, timestamp, options.clock().instant(), who, digestName,
                algorithmName).describedAs(described, null);
    }

    /** The signed attributes against the signed content, and the signature value against the certificate. */
    private static VerificationOutcome checkSignature(CMSSignedData signed, SignerInformation signer,
            X509Certificate certificate) {
        Failure refused = SignerAlgorithms.refusal(signer.getDigestAlgorithmID().getAlgorithm());
        if (refused != null) {
            return VerificationOutcome.failed(refused, SignerAlgorithms.refusalReason(
                    signer.getDigestAlgorithmID().getAlgorithm()));
        }
        try {
            if (signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Providers.bouncyCastle())
                    .build(certificate))) {
                return null;
            }
            return VerificationOutcome.failed(Failure.SIGNATURE_INVALID, "the signature value does not verify with "
                    + "the signer's certificate");
        } catch (CMSSignerDigestMismatchException e) {
            boolean catalog = AuthenticodeObjectIdentifiers.OID_CTL.getId().equals(signed.getSignedContentTypeOID());
            return VerificationOutcome.failed(catalog ? Failure.CONTENT_MODIFIED : Failure.SIGNATURE_INVALID,
                    catalog ? "the catalog was changed after it was signed"
                            : "the signed data does not match the signature: the signature was tampered with");
        } catch (CMSVerifierCertificateNotValidException e) {
            return VerificationOutcome.failed(Failure.CERTIFICATE_EXPIRED, "the signer's certificate was not valid "
                    + "at the signing time the signature states");
        } catch (Exception e) {
            return VerificationOutcome.failed(Failure.SIGNATURE_INVALID, "the signature value does not verify ("
                    + Reasons.detail(e) + ")");
        }
    }

    /**
     * The file against the digest the signature covers: jsign recomputes the Authenticode digest (PE, MSI, CAB,
     * scripts, APPX) or NuGet's package digest. A catalog's signature covers the catalog itself, already checked.
     */
    private static VerificationOutcome checkContent(Signable signable, CMSSignedData signed) {
        ContentInfo content = SignedData.getInstance(signed.toASN1Structure().getContent()).getEncapContentInfo();
        ASN1ObjectIdentifier type = content.getContentType();
        byte[] stated;
        byte[] actual;
        try {
            if (AuthenticodeObjectIdentifiers.SPC_INDIRECT_DATA_OBJID.equals(type)) {
                DigestInfo digestInfo = DigestInfo.getInstance(ASN1Sequence.getInstance(content.getContent())
                        .getObjectAt(1));
                stated = digestInfo.getDigest();
                Failure refused = SignerAlgorithms.refusal(digestInfo.getAlgorithmId().getAlgorithm());
                if (refused != null) {
                    return VerificationOutcome.failed(refused, SignerAlgorithms.refusalReason(
                            "the file digest the signature covers", digestInfo.getAlgorithmId().getAlgorithm()));
                }
                actual = signable.computeDigest(jsignDigest(digestInfo.getAlgorithmId().getAlgorithm()));
            } else if (PKCSObjectIdentifiers.data.equals(type)) {
                stated = ASN1OctetString.getInstance(content.getContent()).getOctets();
                Matcher matcher = NUGET_CONTENT.matcher(new String(stated, StandardCharsets.US_ASCII));
                if (!matcher.find()) {
                    return VerificationOutcome.failed(Failure.MALFORMED, "the signed content names no package digest");
                }
                actual = signable.computeDigest(jsignDigest(new ASN1ObjectIdentifier(matcher.group(1))));
            } else {
                return null;
            }
        } catch (GeneralSecurityException e) {
            return VerificationOutcome.failed(Failure.SIGNATURE_INVALID, Reasons.detail(e));
        } catch (IOException | RuntimeException e) {
            return VerificationOutcome.failed(Failure.MALFORMED, "the file's Authenticode digest cannot be computed ("
                    + Reasons.detail(e) + ")");
        }
        if (!MessageDigest.isEqual(stated, actual)) {
            return VerificationOutcome.failed(Failure.CONTENT_MODIFIED, "the file was changed after it was signed: "
                    + "its digest no longer matches the signed one");
        }
        return null;
    }

    /**
     * The timestamp's authority and time once it checks out, null without one, or with a countersignature that is no
     * timestamp (see {@link LegacyTimestamp#notATimestamp}).
     */
    private TimestampDetails timestamp(SignerInformation signer, X509Certificate signerCertificate,
            List<X509Certificate> certificates) throws TimestampProblem {
        AttributeTable unsigned = signer.getUnsignedAttributes();
        if (unsigned == null) {
            return null;
        }
        Attribute rfc3161 = unsigned.get(AuthenticodeObjectIdentifiers.SPC_RFC3161_OBJID);
        if (rfc3161 == null) {
            rfc3161 = unsigned.get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
        }
        if (rfc3161 != null) {
            TimeStampToken token;
            try {
                token = new TimeStampToken(ContentInfo.getInstance(rfc3161.getAttrValues().getObjectAt(0)));
            } catch (Exception e) {
                throw new TimestampProblem("the timestamp cannot be read");
            }
            VerificationOutcome bad = new TimestampVerifier(trust).check(token, signer.getSignature(),
                    signerCertificate);
            if (bad != null) {
                throw new TimestampProblem(bad.reason());
            }
            return new TimestampDetails(authorityName(token), token.getTimeStampInfo().getGenTime().toInstant());
        }
        if (unsigned.get(CMSAttributes.counterSignature) == null) {
            return null;
        }
        LegacyTimestamp.Countersignature countersignature;
        try {
            countersignature = LegacyTimestamp.check(signer, signer.getCounterSignatures().iterator().next(),
                    certificates);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TimestampProblem("the legacy timestamp does not verify: " + Reasons.detail(e));
        }
        String notATimestamp = LegacyTimestamp.notATimestamp(countersignature, signerCertificate);
        if (notATimestamp != null) {
            trust.warn(notATimestamp);
            return null;
        }
        VerificationOutcome untrusted = trust.checkTimestampAuthority(countersignature.authority(),
                signerCertificate, certificates, countersignature.time());
        if (untrusted != null) {
            throw new TimestampProblem("the time-stamp authority is not trusted: " + untrusted.reason());
        }
        return new TimestampDetails(CertificateChecks.subject(countersignature.authority()), countersignature.time());
    }

    private static String authorityName(TimeStampToken token) {
        try {
            return CertificateChecks.subject(Timestamper.signerCertificate(token));
        } catch (Exception e) {
            return null;
        }
    }

    private static net.jsign.DigestAlgorithm jsignDigest(ASN1ObjectIdentifier oid) throws GeneralSecurityException {
        DigestAlgorithm digest = DigestAlgorithm.fromOid(oid);
        if (digest == null) {
            throw new GeneralSecurityException("the signed file digest uses " + oid + ", which this verifier does not "
                    + "accept: only SHA-256, SHA-384 and SHA-512 are");
        }
        return AuthenticodeFormat.jsignDigest(digest);
    }

    private static X509Certificate signerCertificate(SignerInformation signer, List<X509Certificate> certificates) {
        for (X509Certificate certificate : certificates) {
            try {
                if (signer.getSID().match(new JcaX509CertificateHolder(certificate))) {
                    return certificate;
                }
            } catch (Exception e) {
                // a certificate that does not re-encode cannot be the signer's
            }
        }
        return null;
    }

    /** Why a timestamp was rejected. */
    private static final class TimestampProblem extends Exception {

        private static final long serialVersionUID = 1L;

        TimestampProblem(String message) {
            super(message);
        }
    }
}

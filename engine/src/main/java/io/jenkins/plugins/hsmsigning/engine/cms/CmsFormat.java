package io.jenkins.plugins.hsmsigning.engine.cms;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.DetachedFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.formats.SignedResult;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampOutcome;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.util.CollectionStore;

/**
 * Detached CMS (PKCS#7) signatures in DER: signed attributes (content type, message digest, signing time,
 * algorithm protection), the whole certificate chain, and an RFC 3161 timestamp over the signature value as an
 * unsigned attribute.
 */
public final class CmsFormat implements DetachedFormat {

    @Override
    public Format format() {
        return Format.CMS;
    }

    @Override
    public SignedResult sign(SigningKey key, SigningOptions options, Timestamper timestamper, ContentHashes content,
            String artifactName) throws SigningException {
        SignatureAlgorithm algorithm = key.algorithm(options.digest(), options.pss());
        try {
            List<X509CertificateHolder> chain = key.chainHolders();
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new PrecomputedDigest(options.digest(), content.digest(options.digest())))
                    .build(new KeyContentSigner(key, algorithm), chain.get(0)));
            generator.addCertificates(new CollectionStore<>(chain));
            CMSSignedData signed = generator.generate(new CMSAbsentContent(), false);
            List<String> warnings = new ArrayList<>();
            TimestampDetails timestamp = null;
            if (timestamper.settings().enabled()) {
                SignerInformation signer = signed.getSignerInfos().iterator().next();
                TimestampOutcome outcome = timestamper.timestampAsRequired(signer.getSignature(), options.digest(),
                        artifactName);
                if (outcome.obtained()) {
                    Attribute token = new Attribute(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken,
                            new DERSet(outcome.token().toCMSSignedData().toASN1Structure()));
                    signer = SignerInformation.replaceUnsignedAttributes(signer, new AttributeTable(token));
                    signed = CMSSignedData.replaceSigners(signed, new SignerInformationStore(signer));
                    timestamp = new TimestampDetails(outcome.authority(), outcome.time());
                } else {
                    warnings.add("not timestamped: " + String.join("; ", outcome.failures()));
                }
            }
            return new SignedResult(signed.getEncoded(ASN1Encoding.DER), algorithm, timestamp, warnings);
        } catch (SigningException e) {
            throw e;
        } catch (Exception e) {
            SigningException cause = causeOf(e);
            if (cause != null) {
                throw cause;
            }
            throw new SigningException(Kind.KEY, "The CMS signature of " + artifactName + " could not be made: "
                    + Reasons.detail(e) + ".", e);
        }
    }

    @Override
    public Set<DigestAlgorithm> digestsFor(byte[] signatureFile, String signatureName) throws SigningException {
        CMSSignedData signed = CmsVerification.parse(CmsPem.der(signatureFile, signatureName), signatureName);
        Set<DigestAlgorithm> digests = EnumSet.noneOf(DigestAlgorithm.class);
        for (SignerInformation signer : signed.getSignerInfos()) {
            DigestAlgorithm digest = DigestAlgorithm.fromOid(signer.getDigestAlgorithmID().getAlgorithm());
            if (digest != null) {
                digests.add(digest);
            }
            // a digest the engine does not accept is reported for its signer, as a refusal, by verify
        }
        return digests;
    }

    @Override
    public VerificationOutcome verify(byte[] signatureFile, String signatureName, ContentHashes content,
            VerificationOptions options) {
        byte[] der;
        try {
            der = CmsPem.der(signatureFile, signatureName);
        } catch (SigningException e) {
            return VerificationOutcome.failed(Failure.MALFORMED, Reasons.clean(e.getMessage()));
        }
        return new CmsVerification(options).verify(der, signatureName, content);
    }

    private static SigningException causeOf(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SigningException s) {
                return s;
            }
        }
        return null;
    }

    static CMSException malformed(String name) {
        return new CMSException(name + " is not a CMS signature");
    }
}

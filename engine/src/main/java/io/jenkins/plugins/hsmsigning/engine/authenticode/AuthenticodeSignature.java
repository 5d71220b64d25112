package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.List;
import net.jsign.Signable;
import net.jsign.asn1.authenticode.AuthenticodeObjectIdentifiers;
import net.jsign.asn1.authenticode.AuthenticodeSignedDataGenerator;
import net.jsign.asn1.authenticode.FilteredAttributeTableGenerator;
import net.jsign.asn1.authenticode.SpcAttributeTypeAndOptionalValue;
import net.jsign.asn1.authenticode.SpcIndirectDataContent;
import net.jsign.asn1.authenticode.SpcPeImageData;
import net.jsign.asn1.authenticode.SpcSpOpusInfo;
import net.jsign.asn1.authenticode.SpcStatementType;
import net.jsign.timestamp.Timestamper;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.DefaultCMSSignatureEncryptionAlgorithmFinder;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.PKCS7ProcessableObject;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.CollectionStore;

/**
 * The Authenticode signature of one file, built as jsign's {@code AuthenticodeSigner.createSignedData} builds it
 * (same content, attributes, algorithm identifiers and timestamping), minus two things the engine does better: the
 * check of the new signature against the certificate, which {@link SigningKey} already makes on every signature and
 * the engine repeats on the written file before publishing it; and the completion of an incomplete chain from the
 * certificate's AIA URL, a download the engine never makes. The chain embedded is the key's (leaf first, issuers as
 * far as known, the root left out when there are issuers), parsed once per key.
 */
final class AuthenticodeSignature {

    private final SigningKey key;
    private final String signatureAlgorithm;
    private final net.jsign.DigestAlgorithm digest;
    private final String programName;
    private final String programUrl;
    private final Timestamper timestamper;

    /** {@code timestamper} null: no timestamp. */
    AuthenticodeSignature(SigningKey key, String signatureAlgorithm, net.jsign.DigestAlgorithm digest,
            String programName, String programUrl, Timestamper timestamper) {
        this.key = key;
        this.signatureAlgorithm = signatureAlgorithm;
        this.digest = digest;
        this.programName = programName;
        this.programUrl = programUrl;
        this.timestamper = timestamper;
    }

    /**
     * The signature over {@code content}, or when it is null over {@code file}'s content as jsign computes it now;
     * timestamped when a timestamper was given.
     */
    CMSSignedData of(Signable file, CMSTypedData content) throws Exception {
        if (content == null) {
            content = file.createSignedContent(digest);
        }
        boolean authenticode = AuthenticodeObjectIdentifiers.isAuthenticode(content.getContentType().getId());
        CMSSignedDataGenerator generator = authenticode ? new AuthenticodeSignedDataGenerator()
                : new CMSSignedDataGenerator();
        generator.addCertificates(new CollectionStore<>(embeddedChain()));
        ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm).setProvider(key.jcaProvider())
                .build(key.jcaKey());
        List<Attribute> attributes = authenticode ? authenticodeAttributes()
                : file.createSignedAttributes(key.certificate());
        CMSAttributeTableGenerator signedAttributes = new DefaultSignedAttributeTableGenerator(
                new AttributeTable(new DERSet(attributes.toArray(new ASN1Encodable[0]))));
        signedAttributes = authenticode
                ? new FilteredAttributeTableGenerator(signedAttributes, CMSAttributes.cmsAlgorithmProtect,
                        CMSAttributes.signingTime)
                : new FilteredAttributeTableGenerator(signedAttributes, CMSAttributes.cmsAlgorithmProtect);
        generator.addSignerInfoGenerator(new SignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().build(), new SigntoolEncryptionAlgorithms())
                .setSignedAttributeGenerator(signedAttributes)
                .setContentDigest(contentDigest(signer.getAlgorithmIdentifier()))
                .build(signer, key.chainHolders().get(0)));
        CMSSignedData signed = generator.generate(content, true);
        return timestamper == null ? signed : timestamper.timestamp(digest, signed);
    }

    /**
     * What a PE file's signature covers, as jsign's {@code PEFile.createIndirectData} states it, for an image digest
     * computed elsewhere ({@link PeImageCopy}).
     */
    static CMSTypedData peContent(net.jsign.DigestAlgorithm digest, byte[] imageDigest) {
        return new PKCS7ProcessableObject(AuthenticodeObjectIdentifiers.SPC_INDIRECT_DATA_OBJID,
                new SpcIndirectDataContent(new SpcAttributeTypeAndOptionalValue(
                        AuthenticodeObjectIdentifiers.SPC_PE_IMAGE_DATA_OBJID, new SpcPeImageData()),
                        new DigestInfo(new AlgorithmIdentifier(digest.oid, DERNull.INSTANCE), imageDigest)));
    }

    private List<X509CertificateHolder> embeddedChain() throws CertificateEncodingException, IOException {
        List<X509CertificateHolder> chain = new ArrayList<>(key.chainHolders());
        if (chain.size() > 1) {
            chain.removeIf(c -> c.getSubject().equals(c.getIssuer()));
        }
        return chain;
    }

    private List<Attribute> authenticodeAttributes() {
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute(AuthenticodeObjectIdentifiers.SPC_STATEMENT_TYPE_OBJID, new DERSet(
                new SpcStatementType(AuthenticodeObjectIdentifiers.SPC_INDIVIDUAL_SP_KEY_PURPOSE_OBJID))));
        if (programName != null || programUrl != null) {
            attributes.add(new Attribute(AuthenticodeObjectIdentifiers.SPC_SP_OPUS_INFO_OBJID, new DERSet(
                    new SpcSpOpusInfo(programName, programUrl))));
        }
        return attributes;
    }

    /** With parameters (a DER NULL where the algorithm has none), as signtool writes it. */
    private static AlgorithmIdentifier contentDigest(AlgorithmIdentifier signatureAlgorithm) {
        AlgorithmIdentifier digest = new DefaultDigestAlgorithmIdentifierFinder().find(signatureAlgorithm);
        return digest.getParameters() == null ? new AlgorithmIdentifier(digest.getAlgorithm(), DERNull.INSTANCE)
                : digest;
    }

    /** "RSA" rather than "sha256WithRSA" as the signature algorithm of RSA signers, as signtool writes it. */
    private static final class SigntoolEncryptionAlgorithms extends DefaultCMSSignatureEncryptionAlgorithmFinder {

        @Override
        public AlgorithmIdentifier findEncryptionAlgorithm(AlgorithmIdentifier signatureAlgorithm) {
            if (signatureAlgorithm.getAlgorithm().equals(PKCSObjectIdentifiers.sha256WithRSAEncryption)
                    || signatureAlgorithm.getAlgorithm().equals(PKCSObjectIdentifiers.sha384WithRSAEncryption)
                    || signatureAlgorithm.getAlgorithm().equals(PKCSObjectIdentifiers.sha512WithRSAEncryption)) {
                return new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);
            }
            return super.findEncryptionAlgorithm(signatureAlgorithm);
        }
    }
}

package io.jenkins.plugins.hsmsigning.engine.pgp;

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
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.SignerOutcomes;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;


/**
 * Detached, armored OpenPGP signatures made with the same HSM key as every other format. OpenPGP has no RFC 3161
 * timestamp and no RSA-PSS: timestamps are not applied, and RSA keys sign with PKCS#1 v1.5. Verification reads
 * what other tools make too: every signature of the file (binary or text mode, RSA, ECDSA or EdDSA, by primary keys
 * or subkeys), judged together by {@link SignerOutcomes}; a clear-signed document as the signature file.
 */
public final class PgpFormat implements DetachedFormat {

    @Override
    public Format format() {
        return Format.PGP;
    }

    @Override
    public SignedResult sign(SigningKey key, SigningOptions options, Timestamper timestamper, ContentHashes content,
            String artifactName) throws SigningException {
        SignatureAlgorithm algorithm = key.algorithm(options.digest(), false);
        PGPPublicKey publicKey = PgpKeys.publicKey(key.certificate());
        try {
            PGPSignatureGenerator generator = new PGPSignatureGenerator(new TokenPgpSigner(key, algorithm,
                    publicKey.getKeyID(), content.state(options.digest())), publicKey);
            generator.init(PGPSignature.BINARY_DOCUMENT, PgpKeys.handle(publicKey));
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, new Date());
            hashed.setIssuerFingerprint(false, publicKey);
            generator.setHashedSubpackets(hashed.generate());
            PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
            unhashed.setIssuerKeyID(false, publicKey.getKeyID());
            generator.setUnhashedSubpackets(unhashed.generate());
            PGPSignature signature = generator.generate();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(out)) {
                signature.encode(armored);
            }
            List<String> warnings = new ArrayList<>();
            if (options.pss()) {
                warnings.add("OpenPGP has no RSA-PSS: signed with PKCS#1 v1.5");
            }
            return new SignedResult(out.toByteArray(), algorithm, null, warnings);
        } catch (IllegalStateException e) {
            throw PgpKeys.unwrap(e);
        } catch (PGPException | IOException e) {
            throw new SigningException(Kind.KEY, "The OpenPGP signature of " + artifactName + " could not be made: "
                    + Reasons.detail(e) + ".", e);
        }
    }

    @Override
    public Set<DigestAlgorithm> digestsFor(byte[] signatureFile, String signatureName) throws SigningException {
        if (ClearSignedDocument.isClearSigned(signatureFile)) {
            return Set.of();
        }
        return digests(parse(signatureFile, signatureName), PGPSignature.BINARY_DOCUMENT);
    }

    @Override
    public Set<DigestAlgorithm> textDigestsFor(byte[] signatureFile, String signatureName) throws SigningException {
        if (ClearSignedDocument.isClearSigned(signatureFile)) {
            return Set.of(ClearSignedDocument.COMPARISON_DIGEST);
        }
        return digests(parse(signatureFile, signatureName), PGPSignature.CANONICAL_TEXT_DOCUMENT);
    }

    /** The digests the signatures of one type need; those of hashes not accepted are reported by verify. */
    private static Set<DigestAlgorithm> digests(List<PGPSignature> signatures, int type) {
        Set<DigestAlgorithm> digests = EnumSet.noneOf(DigestAlgorithm.class);
        for (PGPSignature signature : signatures) {
            DigestAlgorithm digest = PgpAlgorithms.digest(signature.getHashAlgorithm());
            if (digest != null && signature.getSignatureType() == type) {
                digests.add(digest);
            }
        }
        return digests;
    }

    /**
     * Every signature in the file is checked and listed (see {@link SignerOutcomes}). A clear-signed document given
     * as the signature file is checked, and its text compared with the artifact.
     */
    @Override
    public VerificationOutcome verify(byte[] signatureFile, String signatureName, ContentHashes content,
            VerificationOptions options) {
        if (ClearSignedDocument.isClearSigned(signatureFile)) {
            return ClearSignedDocument.verifyAgainst(signatureFile, signatureName, content, options);
        }
        List<PGPSignature> signatures;
        try {
            signatures = parse(signatureFile, signatureName);
        } catch (SigningException e) {
            return VerificationOutcome.failed(Failure.MALFORMED, "the signature file " + signatureName
                    + " is not an OpenPGP signature");
        }
        PgpSignatureCheck check = new PgpSignatureCheck(new TrustedPgpKeys(options), signatureName);
        List<VerificationOutcome> outcomes = new ArrayList<>();
        for (PGPSignature signature : signatures) {
            outcomes.add(verifyOne(check, signature, signatureName, content));
        }
        return SignerOutcomes.combine(outcomes);
    }

    private static VerificationOutcome verifyOne(PgpSignatureCheck check, PGPSignature signature,
            String signatureName, ContentHashes content) {
        int type = signature.getSignatureType();
        if (type == PGPSignature.BINARY_DOCUMENT) {
            return check.verify(signature, content::state);
        }
        if (type == PGPSignature.CANONICAL_TEXT_DOCUMENT) {
            return check.verify(signature, content::textState);
        }
        return VerificationOutcome.failed(Failure.MALFORMED, signatureName + " holds an OpenPGP signature of type "
                + type + ", which is not a signature over a document");
    }

    /**
     * Every signature of every signature packet list in a binary file, or in each armor block of an armored one
     * (signatures by several people are often concatenated).
     */
    static List<PGPSignature> parse(byte[] signatureFile, String name) throws SigningException {
        List<PGPSignature> signatures = new ArrayList<>();
        try {
            for (byte[] block : armorBlocks(signatureFile)) {
                try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(block))) {
                    JcaPGPObjectFactory factory = new JcaPGPObjectFactory(in);
                    Object o;
                    while ((o = factory.nextObject()) != null) {
                        if (o instanceof PGPSignatureList list) {
                            list.forEach(signatures::add);
                        } else {
                            throw new IOException("not a signature packet: " + o.getClass().getSimpleName());
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new SigningException(Kind.INPUT, "The signature file " + name + " is not an OpenPGP signature.", e);
        }
        if (signatures.isEmpty()) {
            throw new SigningException(Kind.INPUT, "The signature file " + name + " holds no OpenPGP signature.");
        }
        return signatures;
    }

    private static final String ARMOR_BEGIN = "-----BEGIN PGP SIGNATURE-----";

    private static List<byte[]> armorBlocks(byte[] file) {
        String text = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        int first = text.indexOf(ARMOR_BEGIN);
        if (first < 0 || text.indexOf(ARMOR_BEGIN, first + 1) < 0) {
            return List.of(file);
        }
        List<byte[]> blocks = new ArrayList<>();
        for (int at = first; at >= 0;) {
            int next = text.indexOf(ARMOR_BEGIN, at + 1);
            blocks.add(text.substring(at, next < 0 ? text.length() : next)
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            at = next;
        }
        return blocks;
    }
}

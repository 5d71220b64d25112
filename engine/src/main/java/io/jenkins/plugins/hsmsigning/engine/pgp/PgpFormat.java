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
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.Iterator;
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
 * timestamp and no RSA-PSS: timestamps are not applied, and RSA keys sign with PKCS#1 v1.5.
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
        Set<DigestAlgorithm> digests = EnumSet.noneOf(DigestAlgorithm.class);
        for (PGPSignature signature : parse(signatureFile, signatureName)) {
            DigestAlgorithm digest = PgpAlgorithms.digest(signature.getHashAlgorithm());
            if (digest == null) {
                throw new SigningException(Kind.INPUT, "The signature file " + signatureName + " uses OpenPGP hash "
                        + "algorithm " + signature.getHashAlgorithm() + ", which is not accepted: only SHA-256, "
                        + "SHA-384 and SHA-512 are.");
            }
            digests.add(digest);
        }
        return digests;
    }

    @Override
    public VerificationOutcome verify(byte[] signatureFile, String signatureName, ContentHashes content,
            VerificationOptions options) {
        List<PGPSignature> signatures;
        try {
            signatures = parse(signatureFile, signatureName);
        } catch (SigningException e) {
            return VerificationOutcome.failed(Failure.MALFORMED, "the signature file " + signatureName
                    + " is not an OpenPGP signature");
        }
        VerificationOutcome first = null;
        for (PGPSignature signature : signatures) {
            VerificationOutcome outcome = verifyOne(signature, signatureName, content, options);
            if (!outcome.valid()) {
                return outcome;
            }
            if (first == null) {
                first = outcome;
            }
        }
        return first;
    }

    private VerificationOutcome verifyOne(PGPSignature signature, String signatureName, ContentHashes content,
            VerificationOptions options) {
        DigestAlgorithm digest = PgpAlgorithms.digest(signature.getHashAlgorithm());
        if (signature.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
            return VerificationOutcome.failed(Failure.MALFORMED, signatureName
                    + " is not a signature over a binary document (type " + signature.getSignatureType() + ")");
        }
        String algorithmName = digest.compactName() + "with"
                + (PgpAlgorithms.scheme(signature.getKeyAlgorithm()) == io.jenkins.plugins.hsmsigning.engine.SignatureScheme.ECDSA
                        ? "ECDSA" : "RSA");
        PGPPublicKey key = options.pgpKeys().stream().filter(k -> k.getKeyID() == signature.getKeyID())
                .findFirst().orElse(null);
        SignerDetails who = key == null ? null : signer(key);
        for (X509Certificate certificate : options.pgpCertificates()) {
            PGPPublicKey derived = derivedKey(certificate);
            if (key == null && derived != null && derived.getKeyID() == signature.getKeyID()) {
                key = derived;
                who = SignerDetails.of(certificate);
            }
        }
        if (key == null) {
            String keyId = String.format("%016X", signature.getKeyID());
            return VerificationOutcome.failed(Failure.UNTRUSTED, "the OpenPGP key " + keyId + " that made "
                    + signatureName + " is not among the trusted OpenPGP keys",
                    new SignerDetails(null, null, keyId, null), digest.jcaName(), algorithmName, null);
        }
        try {
            signature.init(new PrehashedPgpVerifier(content.state(digest), digest), key);
            if (!signature.verify()) {
                return VerificationOutcome.failed(Failure.CONTENT_MODIFIED, "the OpenPGP signature does not match the "
                        + "artifact: the artifact was changed after signing, or " + signatureName + " was altered",
                        who, digest.jcaName(), algorithmName, null);
            }
        } catch (PGPException e) {
            return VerificationOutcome.failed(Failure.SIGNATURE_INVALID, "the OpenPGP signature cannot be checked ("
                    + Reasons.detail(e) + ")", who, digest.jcaName(), algorithmName, null);
        }
        return VerificationOutcome.valid(who, digest.jcaName(), algorithmName, null, List.of());
    }

    /** The key's first user id, or for a key without one (derived, say) its fingerprint, so a signer is named. */
    private static SignerDetails signer(PGPPublicKey key) {
        Iterator<String> ids = key.getUserIDs();
        String fingerprint = PgpKeys.fingerprint(key);
        String uid = ids.hasNext() ? ids.next() : "OpenPGP key " + fingerprint;
        return new SignerDetails(uid, null, String.format("%016X", key.getKeyID()), fingerprint);
    }

    private static PGPPublicKey derivedKey(X509Certificate certificate) {
        try {
            return PgpKeys.publicKey(certificate);
        } catch (SigningException e) {
            return null;
        }
    }

    private static List<PGPSignature> parse(byte[] signatureFile, String name) throws SigningException {
        List<PGPSignature> signatures = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signatureFile))) {
            Object o = new JcaPGPObjectFactory(in).nextObject();
            if (o instanceof PGPSignatureList list) {
                list.forEach(signatures::add);
            }
        } catch (IOException | RuntimeException e) {
            throw new SigningException(Kind.INPUT, "The signature file " + name + " is not an OpenPGP signature.", e);
        }
        if (signatures.isEmpty()) {
            throw new SigningException(Kind.INPUT, "The signature file " + name + " holds no OpenPGP signature.");
        }
        return signatures;
    }

}

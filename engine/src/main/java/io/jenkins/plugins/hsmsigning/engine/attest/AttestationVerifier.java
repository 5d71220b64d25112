package io.jenkins.plugins.hsmsigning.engine.attest;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.io.ArchiveNames;
import io.jenkins.plugins.hsmsigning.engine.io.ArtifactPaths;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChains;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChecks;
import io.jenkins.plugins.hsmsigning.engine.report.CertificateDetails;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.verify.TrustValidator;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Verifies attestation bundles as a consumer would: the DSSE signature by a trusted key (a pinned signer certificate
 * or public key, or the certificate in the chain file beside the bundle, which must chain to a trust anchor and be
 * valid now), then every subject's SHA-256 against the file present under the artifacts' root, then the provenance
 * expectations. The first failure decides, with its own {@link Failure} code.
 */
public final class AttestationVerifier {

    /** Bundles embed whole SBOMs, so they may be large, but not unbounded. */
    private static final int MAX_BUNDLE = 128 * 1024 * 1024;

    private final VerificationOptions trust;
    private final List<X509Certificate> signerCertificates;
    private final List<PublicKey> publicKeys;
    private final ProvenanceExpectations expectations;

    /**
     * @param trust              trust anchors and clock, as for every other signature
     * @param signerCertificates certificates whose keys are trusted as they are (a profile's own signer)
     * @param publicKeys         public keys trusted as they are (what {@code export-public-key} wrote)
     * @param expectations       what a provenance must state; {@link ProvenanceExpectations#NONE} for nothing
     */
    public AttestationVerifier(VerificationOptions trust, List<X509Certificate> signerCertificates,
            List<PublicKey> publicKeys, ProvenanceExpectations expectations) {
        this.trust = trust;
        this.signerCertificates = List.copyOf(signerCertificates);
        this.publicKeys = List.copyOf(publicKeys);
        this.expectations = expectations;
    }

    /** Every bundle of {@code bundlePaths} (relative to {@code root}, where the subjects are too), in order. */
    public List<ReportEntry> verifyAll(Path root, Collection<String> bundlePaths,
            Consumer<List<ReportEntry>> progress) {
        List<ReportEntry> entries = new ArrayList<>();
        for (String path : bundlePaths) {
            ReportEntry entry;
            try {
                entry = verify(ArtifactPaths.resolveWithin(root, path), path, root);
            } catch (SigningException e) {
                entry = ReportEntry.failure(ReportEntry.VERIFY, path, null, Failure.of(e.kind()),
                        Reasons.sentence(e.getMessage()), 0);
            }
            progress.accept(List.of(entry));
            entries.add(entry);
        }
        return entries;
    }

    /** One bundle; its subjects' names are resolved under {@code subjectRoot}, never outside it. */
    public ReportEntry verify(Path bundleFile, String displayPath, Path subjectRoot) {
        long start = System.nanoTime();
        Verdict verdict = new Verdict(displayPath, start);
        byte[] bytes;
        try {
            bytes = read(bundleFile);
        } catch (IOException e) {
            return verdict.failed(Failure.INPUT_ERROR, "cannot be read: " + Reasons.detail(e));
        }
        verdict.size = (long) bytes.length;
        verdict.sha256 = HexFormat.of().formatHex(DigestAlgorithm.SHA256.newDigest().digest(bytes));
        SigstoreBundle bundle;
        Statement statement;
        try {
            bundle = SigstoreBundle.parse(bytes);
            if (!Dsse.IN_TOTO_PAYLOAD_TYPE.equals(bundle.payloadType())) {
                return verdict.failed(Failure.MALFORMED, "its payload is of type " + quoted(bundle.payloadType())
                        + ", not an in-toto statement");
            }
        } catch (IOException e) {
            return verdict.failed(Failure.MALFORMED, "is not a Sigstore attestation bundle: " + e.getMessage());
        }
        VerificationOutcome signer = signer(bundle, bundleFile, verdict);
        if (!signer.valid()) {
            return verdict.failed(signer.failure(), signer.reason());
        }
        try {
            statement = Statement.parse(bundle.payload());
        } catch (IOException e) {
            return verdict.failed(Failure.MALFORMED, "its signed payload is not an in-toto statement: "
                    + Reasons.detail(e));
        }
        verdict.format = formatOf(statement.predicateType());
        for (Subject subject : statement.subjects()) {
            String problem = subjectProblem(subject, subjectRoot, verdict);
            if (problem != null) {
                return verdict.failed(verdict.subjectFailure, problem);
            }
        }
        if (SlsaProvenance.PREDICATE_TYPE.equals(statement.predicateType())) {
            ProvenanceExpectations.Mismatch mismatch = expectations.check(statement.predicate());
            if (mismatch != null) {
                return verdict.failed(mismatch.failure(), mismatch.reason());
            }
        }
        return verdict.verified(signer.warnings());
    }

    /** The trusted key that made the signature; the verdict learns who signed. */
    private VerificationOutcome signer(SigstoreBundle bundle, Path bundleFile, Verdict verdict) {
        byte[] pae = Dsse.preAuthenticationEncoding(bundle.payloadType(), bundle.payload());
        boolean hintKnown = false;
        for (X509Certificate certificate : signerCertificates) {
            PublicKey key = certificate.getPublicKey();
            hintKnown |= AttestationKeys.hint(key).equals(bundle.keyHint());
            if (AttestationKeys.verifies(key, pae, bundle.signature())) {
                verdict.signedBy(key, certificate, List.of(certificate));
                return VerificationOutcome.valid(null, null, null, null, List.of());
            }
        }
        for (PublicKey key : publicKeys) {
            hintKnown |= AttestationKeys.hint(key).equals(bundle.keyHint());
            if (AttestationKeys.verifies(key, pae, bundle.signature())) {
                verdict.signedBy(key, null, List.of());
                return VerificationOutcome.valid(null, null, null, null, List.of());
            }
        }
        String chainName = AttestationFiles.chainFor(String.valueOf(bundleFile.getFileName()));
        Path chainFile = bundleFile.resolveSibling(chainName);
        if (Files.isRegularFile(chainFile)) {
            List<X509Certificate> chain;
            try {
                chain = CertificateChains.read(chainFile);
            } catch (SigningException e) {
                return VerificationOutcome.failed(Failure.MALFORMED, "its certificate chain " + chainName
                        + " cannot be read");
            }
            X509Certificate leaf = chain.get(0);
            hintKnown |= AttestationKeys.hint(leaf.getPublicKey()).equals(bundle.keyHint());
            if (AttestationKeys.verifies(leaf.getPublicKey(), pae, bundle.signature())) {
                verdict.signedBy(leaf.getPublicKey(), leaf, chain);
                return trusted(leaf, chain);
            }
        }
        if (hintKnown) {
            return VerificationOutcome.failed(Failure.SIGNATURE_INVALID, "its signature does not verify: the"
                    + " statement or the envelope was changed after signing");
        }
        return VerificationOutcome.failed(Failure.UNTRUSTED, "it was signed by a key that is not trusted ("
                + (bundle.keyHint() == null ? "no key hint" : "key hint " + quoted(bundle.keyHint()))
                + "): give its public key or signer certificate, or keep " + chainName
                + " beside it and trust its issuer");
    }

    /** The chain file's certificate, judged like any code signer's without a timestamp: now. */
    private VerificationOutcome trusted(X509Certificate leaf, List<X509Certificate> chain) {
        Instant now = trust.clock().instant();
        VerificationOutcome problem = new TrustValidator(trust).check(leaf, chain.subList(1, chain.size()), now,
                CertificateChecks.CODE_SIGNING, false);
        if (problem != null) {
            return problem;
        }
        return VerificationOutcome.valid(null, null, null, null, List.of("not timestamped: the attestation stops"
                + " verifying when the certificate expires on " + leaf.getNotAfter().toInstant()));
    }

    private static String subjectProblem(Subject subject, Path root, Verdict verdict) {
        Path file;
        try {
            file = ArtifactPaths.resolveWithin(root, subject.name());
        } catch (SigningException e) {
            verdict.subjectFailure = Failure.MALFORMED;
            return "its subject " + quoted(subject.name()) + " is not a path inside the artifacts";
        }
        if (!Files.isRegularFile(file)) {
            verdict.subjectFailure = Failure.SUBJECT_MISSING;
            return "its subject " + quoted(subject.name()) + " is not there";
        }
        try {
            if (!ContentHashes.sha256Hex(file).equalsIgnoreCase(subject.sha256())) {
                verdict.subjectFailure = Failure.CONTENT_MODIFIED;
                return "its subject " + quoted(subject.name()) + " is not the file it attests (SHA-256 differs): the"
                        + " file was changed or replaced";
            }
        } catch (IOException e) {
            verdict.subjectFailure = Failure.INPUT_ERROR;
            return "its subject " + quoted(subject.name()) + " cannot be read: " + Reasons.detail(e);
        }
        return null;
    }

    /**
     * The subject names a bundle claims, before anything is verified: which files a verifier elsewhere must be given
     * beside it. Names that would lead out of the artifacts are left out; an unreadable bundle claims nothing.
     */
    public static List<String> claimedSubjects(Path bundleFile) {
        List<String> names = new ArrayList<>();
        try {
            Statement statement = Statement.parse(SigstoreBundle.parse(read(bundleFile)).payload());
            for (Subject subject : statement.subjects()) {
                try {
                    names.add(ArtifactPaths.checkRelative(subject.name()));
                } catch (SigningException e) {
                    // verification names it
                }
            }
        } catch (IOException e) {
            // verification says why
        }
        return names;
    }

    /**
     * A value taken from the bundle, quoted and made printable ({@link ArchiveNames#printable}) so that a reader can
     * tell it from our words and it cannot break or disguise the line.
     */
    static String quoted(String value) {
        return "'" + ArchiveNames.printable(value) + "'";
    }

    static String formatOf(String predicateType) {
        if (SlsaProvenance.PREDICATE_TYPE.equals(predicateType)) {
            return Attestor.PROVENANCE_FORMAT;
        }
        for (SbomDocument.Standard standard : SbomDocument.Standard.values()) {
            if (standard.predicateType().equals(predicateType)) {
                return Attestor.SBOM_FORMAT;
            }
        }
        return "in-toto";
    }

    private static byte[] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BUNDLE + 1);
            if (bytes.length > MAX_BUNDLE) {
                throw new IOException("it is larger than " + MAX_BUNDLE + " bytes");
            }
            return bytes;
        }
    }

    /** What is known so far about one bundle, and the report entry it ends in. */
    private static final class Verdict {

        private final String path;
        private final long start;
        private Long size;
        private String sha256;
        private String format = "in-toto";
        private SignerDetails signer;
        private String signatureAlgorithm;
        private String digestAlgorithm;
        private List<CertificateDetails> chain;
        private Failure subjectFailure;

        Verdict(String path, long start) {
            this.path = path;
            this.start = start;
        }

        void signedBy(PublicKey key, X509Certificate certificate, List<X509Certificate> certificates) {
            signer = certificate == null ? null : SignerDetails.of(certificate);
            signatureAlgorithm = AttestationKeys.signatureAlgorithm(key);
            digestAlgorithm = AttestationKeys.digestFor(key).jcaName();
            chain = certificates.isEmpty() ? null : CertificateDetails.of(certificates);
        }

        ReportEntry failed(Failure failure, String reason) {
            return entry(Status.FAILED, failure, Reasons.sentence(path + ": " + reason + "."), List.of());
        }

        ReportEntry verified(List<String> warnings) {
            return entry(Status.VERIFIED, null, null, warnings);
        }

        private ReportEntry entry(Status status, Failure failure, String reason, List<String> warnings) {
            return new ReportEntry(ReportEntry.VERIFY, path, size, sha256, sha256, format, path, signer, null,
                    digestAlgorithm, signatureAlgorithm, null, (System.nanoTime() - start) / 1_000_000, status,
                    failure, reason, warnings, chain);
        }
    }
}

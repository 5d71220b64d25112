package io.jenkins.plugins.hsmsigning.engine.attest;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.profile.TrustSettings;
import io.jenkins.plugins.hsmsigning.engine.report.CertificateDetails;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;

/**
 * Signs statements with the profile's key as DSSE envelopes in Sigstore bundles, through the same
 * {@link SigningKey#sign} path as every other format (the token signs a digest of the PAE, the signature is checked
 * against the certificate). Writes the bundle and the certificate chain beside it; one report entry per bundle,
 * whose {@code signatureFile} is the bundle, so that front-ends archive and audit it like any signature.
 */
public final class Attestor {

    /** The report's {@code format} of a SLSA provenance bundle. */
    public static final String PROVENANCE_FORMAT = "slsa-provenance";
    /** The report's {@code format} of an SBOM attestation bundle. */
    public static final String SBOM_FORMAT = "sbom-attestation";

    private final SigningKey key;

    public Attestor(SigningKey key) {
        this.key = key;
    }

    /** Signs, writes {@code bundleFile} and its chain file; a FAILED entry naming the bundle on any problem. */
    public ReportEntry attest(Statement statement, String format, Path bundleFile, String displayPath) {
        return attest(statement, format, bundleFile, displayPath, List.of());
    }

    ReportEntry attest(Statement statement, String format, Path bundleFile, String displayPath,
            List<String> warnings) {
        long start = System.nanoTime();
        try {
            PublicKey publicKey = key.certificate().getPublicKey();
            SignatureAlgorithm algorithm = key.algorithm(AttestationKeys.digestFor(publicKey), false);
            byte[] payload = statement.toJson();
            byte[] signature = key.sign(algorithm,
                    Dsse.preAuthenticationEncoding(Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
            byte[] bundle = new SigstoreBundle(Dsse.IN_TOTO_PAYLOAD_TYPE, payload, AttestationKeys.hint(publicKey),
                    signature).toJson();
            AtomicFiles.write(bundleFile, bundle);
            Path chainFile = bundleFile.resolveSibling(AttestationFiles.chainFor(String.valueOf(bundleFile.getFileName())));
            AtomicFiles.write(chainFile, TrustSettings.pem(key.chain()).getBytes(StandardCharsets.US_ASCII));
            String sha256 = HexFormat.of().formatHex(DigestAlgorithm.SHA256.newDigest().digest(bundle));
            return new ReportEntry(ReportEntry.SIGN, displayPath, (long) bundle.length, null, sha256, format,
                    displayPath, SignerDetails.of(key.certificate()), key.description(), algorithm.digest().jcaName(),
                    algorithm.jcaName(), null, millisSince(start), Status.SIGNED, null, null, warnings,
                    CertificateDetails.of(key.chain()));
        } catch (SigningException e) {
            return ReportEntry.failure(ReportEntry.SIGN, displayPath, format, Failure.of(e.kind()),
                    Reasons.sentence(e.getMessage()), millisSince(start));
        } catch (IOException e) {
            return ReportEntry.failure(ReportEntry.SIGN, displayPath, format, Failure.of(Kind.INPUT),
                    "The attestation " + displayPath + " cannot be written: " + Reasons.detail(e) + ".",
                    millisSince(start));
        }
    }

    private static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }
}

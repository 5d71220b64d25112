package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.EmbeddedFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.formats.SignedResult;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.io.ZipPreflight;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import net.jsign.AuthenticodeSigner;
import net.jsign.Signable;

/**
 * Authenticode signatures through jsign: PE, MSI, CAB, CAT, PowerShell, VBScript, JScript, WSF, APPX/MSIX and NuGet.
 * jsign signs with the engine's key and provider, so every signature goes through the token cap and re-login, and
 * timestamps through the engine's authorities only. A new signature replaces the existing ones unless nesting is
 * asked for.
 */
public final class AuthenticodeFormat implements EmbeddedFormat {

    @Override
    public Format format() {
        return Format.AUTHENTICODE;
    }

    @Override
    public boolean recognizes(Path file) throws IOException {
        return AuthenticodeKind.detect(file, file.getFileName().toString()) != null;
    }

    /** Scripts are signed in place only when Authenticode is asked for: auto gives them a detached signature. */
    @Override
    public boolean signsByDefault(Path file) throws IOException {
        AuthenticodeKind kind = AuthenticodeKind.detect(file, file.getFileName().toString());
        return kind != null && !kind.script();
    }

    /**
     * PE files and cabinets by their layout ({@link PeLayout}, {@link CabLayout}), APPX/MSIX and NuGet packages by
     * {@link ZipPreflight#checkArchive} (names compared ignoring case, as in OPC packages). MSI files are read by
     * Apache POI inside jsign, catalogs by Bouncy Castle; both refuse damaged files themselves.
     */
    @Override
    public void checkStructure(Path file, String artifactName) throws SigningException {
        switch (kindOf(file, artifactName)) {
            case PE -> PeLayout.check(file, artifactName);
            case CAB -> CabLayout.check(file, artifactName);
            case APPX, NUGET -> ZipPreflight.checkArchive(file, artifactName, true);
            default -> {
                // MSI, catalogs and scripts: jsign's own parsers
            }
        }
    }

    @Override
    public boolean signsCopyInPlace() {
        return true;
    }

    @Override
    public SignedResult sign(SigningKey key, SigningOptions options, Timestamper timestamper, Path source, Path target,
            String artifactName) throws SigningException {
        AuthenticodeKind kind = kindOf(source, artifactName);
        SignatureAlgorithm algorithm = key.algorithm(options.digest(), options.pss());
        if (algorithm.scheme() == SignatureScheme.RSA_PSS) {
            throw new SigningException(Kind.CONFIGURATION, "The Authenticode signature of " + artifactName
                    + " cannot use RSA-PSS, which the engine does not offer for Authenticode: turn the PSS option "
                    + "off.");
        }
        JsignTimestamper timestamps = new JsignTimestamper(timestamper, options.legacyAuthenticodeTimestamp(),
                artifactName);
        AuthenticodeSigner signer = new AuthenticodeSigner(key.chain().toArray(new Certificate[0]), key.jcaKey())
                .withSignatureAlgorithm(algorithm.jcaName(), key.jcaProvider())
                .withDigestAlgorithm(jsignDigest(options.digest()))
                .withSignaturesReplaced(!options.nestSignature())
                .withProgramName(options.programName())
                .withProgramURL(options.programUrl())
                .withTimestamping(timestamper.settings().enabled())
                .withTimestamper(timestamps);
        try {
            try (Signable signable = kind.open(target.toFile())) {
                if (kind == AuthenticodeKind.NUGET && options.nestSignature() && !signable.getSignatures().isEmpty()) {
                    throw new SigningException(Kind.INPUT, "The artifact " + artifactName + " is already signed and "
                            + "a NuGet package holds one signature only, so no signature can be nested in it.");
                }
                signer.sign(signable);
            }
        } catch (Exception e) {
            throw failure(e, artifactName, kind);
        }
        List<String> warnings = new ArrayList<>();
        if (timestamper.settings().enabled() && timestamps.obtained() == null) {
            warnings.add("not timestamped: " + String.join("; ", timestamps.failures()));
        }
        return new SignedResult(null, algorithm, timestamps.obtained(), warnings);
    }

    @Override
    public List<VerificationOutcome> verify(Path file, String artifactName, VerificationOptions options)
            throws SigningException {
        return new AuthenticodeVerification(options).verify(file, artifactName);
    }

    /** The kind of the artifact; a file Authenticode cannot sign is refused before anything is written. */
    static AuthenticodeKind kindOf(Path file, String artifactName) throws SigningException {
        AuthenticodeKind kind;
        try {
            kind = AuthenticodeKind.detect(file, artifactName);
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The artifact " + artifactName + " cannot be read: "
                    + Reasons.detail(e) + ".", e);
        }
        if (kind == null) {
            throw new SigningException(Kind.INPUT, "The artifact " + artifactName + " is not a file Authenticode "
                    + "signs (PE, MSI, CAB, CAT, PowerShell, VBScript, JScript, WSF, APPX/MSIX or NuGet).");
        }
        return kind;
    }

    static net.jsign.DigestAlgorithm jsignDigest(DigestAlgorithm digest) {
        return net.jsign.DigestAlgorithm.valueOf(digest.name());
    }

    static DigestAlgorithm engineDigest(net.jsign.DigestAlgorithm digest) {
        return DigestAlgorithm.valueOf(digest.name());
    }

    private static SigningException failure(Exception e, String artifactName, AuthenticodeKind kind) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SigningException s) {
                return s;
            }
        }
        String detail = detail(e);
        if (e instanceof IllegalArgumentException) {
            return new SigningException(Kind.INPUT, "The artifact " + artifactName + " cannot be signed: " + detail
                    + ".", e);
        }
        if (e instanceof IOException || e instanceof UnsupportedOperationException) {
            return new SigningException(Kind.INPUT, "The artifact " + artifactName + " cannot be signed as "
                    + kind.description() + ": " + detail + ".", e);
        }
        return new SigningException(Kind.KEY, "The Authenticode signature of " + artifactName
                + " could not be made: " + detail + ".", e);
    }

    private static String detail(Exception e) {
        return Reasons.detail(e);
    }
}

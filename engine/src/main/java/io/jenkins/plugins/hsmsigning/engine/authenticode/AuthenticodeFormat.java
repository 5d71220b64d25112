package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
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
import java.util.ArrayList;
import java.util.List;
import net.jsign.Signable;
import net.jsign.msi.MSIFile;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSTypedData;

/**
 * Authenticode signatures through jsign: PE, MSI, CAB, CAT, PowerShell, VBScript, JScript, WSF, APPX/MSIX and NuGet.
 * jsign signs with the engine's key and provider, so every signature goes through the token cap and re-login, and
 * timestamps through the engine's authorities only. Earlier signatures are kept and the new one is nested after
 * them unless replacing is asked for ({@link EarlierSignatures} decides, and the report says what became of them).
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

    /**
     * Under "auto" everything Authenticode signs is signed in place (PowerShell files included, since PowerShell
     * honours nothing else), except JavaScript, VBScript and WSF files, which get a detached signature.
     */
    @Override
    public boolean signsByDefault(Path file) throws IOException {
        AuthenticodeKind kind = AuthenticodeKind.detect(file, file.getFileName().toString());
        return kind != null && !kind.detachedUnderAuto();
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
        List<String> warnings = new ArrayList<>();
        DigestAlgorithm digest = digestFor(kind, source, options.digest(), artifactName, warnings);
        SignatureAlgorithm algorithm = key.algorithm(digest, options.pss());
        if (algorithm.scheme() == SignatureScheme.RSA_PSS) {
            throw new SigningException(Kind.CONFIGURATION, "The Authenticode signature of " + artifactName
                    + " cannot use RSA-PSS, which the engine does not offer for Authenticode: turn the PSS option "
                    + "off.");
        }
        JsignTimestamper timestamps = new JsignTimestamper(timestamper, options.legacyAuthenticodeTimestamp(),
                artifactName);
        AuthenticodeSignature signature = new AuthenticodeSignature(key, algorithm.jcaName(), jsignDigest(digest),
                options.programName(), options.programUrl(), timestamper.settings().enabled() ? timestamps : null);
        String sourceSha256;
        CMSTypedData content = null;
        try {
            if (kind == AuthenticodeKind.PE) {
                PeImageCopy.Digests copied = PeImageCopy.copy(source, target, digest);
                sourceSha256 = copied.sha256Hex();
                content = AuthenticodeSignature.peContent(jsignDigest(digest), copied.imageDigest());
            } else {
                sourceSha256 = ContentHashes.copy(source, target);
            }
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The artifact " + artifactName + " cannot be read or written: "
                    + Reasons.detail(e) + ".", e);
        }
        EarlierSignatures earlier;
        try {
            try (Signable signable = kind.open(target.toFile())) {
                signable.validate(key.certificate());
                earlier = EarlierSignatures.plan(signable.getSignatures(), key.certificate(), digest,
                        options.replaceSignatures());
                checkNesting(kind, earlier, target, digest, artifactName);
                if (kind == AuthenticodeKind.MSI && earlier.kept().isEmpty()
                        && ((MSIFile) signable).hasExtendedSignature()) {
                    // every earlier signature goes, and the MsiDigitalSignatureEx stream made for them with it
                    signable.setSignature(null);
                    signable.save();
                }
                List<CMSSignedData> signatures = new ArrayList<>(earlier.kept());
                signatures.add(signature.of(signable, content));
                signable.setSignatures(signatures);
                signable.save();
            }
        } catch (Exception e) {
            throw failure(e, artifactName, kind);
        }
        if (earlier.summary() != null) {
            warnings.add(earlier.summary());
        }
        if (timestamper.settings().enabled() && timestamps.obtained() == null) {
            warnings.add("not timestamped: " + String.join("; ", timestamps.failures()));
        }
        return new SignedResult(null, algorithm, timestamps.obtained(), warnings, sourceSha256);
    }

    /**
     * The digest to sign with: the configured one, except for APPX/MSIX packages and bundles, which Windows hashes
     * only with the method their block map states ({@link AppxHashMethod}): a stronger one is used with a warning, a
     * weaker one is refused (the configured digest is a floor set by whoever configured it).
     */
    private static DigestAlgorithm digestFor(AuthenticodeKind kind, Path source, DigestAlgorithm configured,
            String artifactName, List<String> warnings) throws SigningException {
        if (kind != AuthenticodeKind.APPX) {
            return configured;
        }
        DigestAlgorithm stated;
        try {
            stated = AppxHashMethod.of(source);
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The package " + artifactName + " cannot be signed: "
                    + Reasons.detail(e) + ".", e);
        }
        if (stated.length() < configured.length()) {
            throw new SigningException(Kind.INPUT, "The package " + artifactName + " cannot be signed with "
                    + configured + ": its block map states " + stated + ", the only hash method Windows accepts for "
                    + "its signature, and signing with a weaker digest than configured is not done silently: "
                    + "package it with " + configured + " (MakeAppx /h " + configured.compactName() + "), or sign it "
                    + "with digest " + stated + ".");
        }
        if (stated != configured) {
            warnings.add("signed with " + stated + ", the hash method its block map states (Windows accepts no "
                    + "other for a package), instead of the configured " + configured);
        }
        return stated;
    }

    /**
     * Refuses, before anything is signed, a nested signature the platform would not accept: NuGet and APPX/MSIX
     * packages hold one signature only, and an MSI whose kept signature has an {@code MsiDigitalSignatureEx} stream
     * takes nested signatures only with that stream's digest ({@link MsiSignatureEx}).
     */
    private static void checkNesting(AuthenticodeKind kind, EarlierSignatures earlier, Path file,
            DigestAlgorithm digest, String artifactName) throws SigningException, IOException {
        if (earlier.kept().isEmpty()) {
            return;
        }
        if (kind == AuthenticodeKind.NUGET || kind == AuthenticodeKind.APPX) {
            throw new SigningException(Kind.INPUT, "The artifact " + artifactName + " is already signed by "
                    + String.join("; ", earlier.keptSigners()) + ", and " + kind.description() + " holds one "
                    + "signature only, so no signature can be nested in it: sign with the replace option to replace "
                    + "the earlier signature.");
        }
        if (kind == AuthenticodeKind.MSI) {
            int length = MsiSignatureEx.length(file);
            if (length != 0 && length != digest.length()) {
                throw new SigningException(Kind.INPUT, "The installer " + artifactName + " is already signed by "
                        + String.join("; ", earlier.keptSigners()) + " with an MsiDigitalSignatureEx stream made "
                        + "for " + MsiSignatureEx.digestNamed(length) + "; Windows checks every signature in the "
                        + "package against that stream, so a " + digest + " signature cannot be nested beside it: "
                        + "sign with the replace option to replace the earlier signature.");
            }
        }
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
                    + "signs (PE, MSI, CAB, CAT, PowerShell (.ps1 .psm1 .psd1 .ps1xml .psc1 .cdxml), MOF, VBScript, "
                    + "JScript, WSF, APPX/MSIX or NuGet).");
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

package io.jenkins.plugins.hsmsigning.engine.jar;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeKind;
import io.jenkins.plugins.hsmsigning.engine.formats.EmbeddedFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.formats.SignedResult;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.io.ZipPreflight;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipFile;
import jdk.security.jarsigner.JarSigner;

/**
 * JAR, WAR and EAR signatures through the JDK's {@link JarSigner}, with the engine's key and provider passed
 * explicitly and the whole chain embedded. JarSigner takes one time-stamp authority, so the engine's list is tried
 * in order, signing again after each failure, and then the required/optional policy is applied as for CMS.
 */
public final class JarFormat implements EmbeddedFormat {

    private static final byte[] ZIP = {'P', 'K', 3, 4};

    @Override
    public Format format() {
        return Format.JAR;
    }

    /** A ZIP file with a manifest that is not an APPX/MSIX or NuGet package (those are Authenticode's). */
    @Override
    public boolean recognizes(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            if (!Arrays.equals(in.readNBytes(ZIP.length), ZIP)) {
                return false;
            }
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry("META-INF/MANIFEST.MF") != null && !AuthenticodeKind.isPackage(zip);
        } catch (IOException | RuntimeException e) {
            // ZipException, EOFException on a cut archive, ...: not a JAR the JDK can read; Formats.refuseDamaged
            // says what is wrong with it
            return false;
        }
    }

    /** The ZIP layout and the compression-bomb limits of {@link ZipPreflight#checkArchive}; entry names keep case. */
    @Override
    public void checkStructure(Path file, String artifactName) throws SigningException {
        ZipPreflight.checkArchive(file, artifactName, false);
    }

    /**
     * Signs a file {@link #recognizes} accepted and {@link #checkStructure} passed, as the engine calls it. The
     * archive is opened once for the content checks and every signing attempt.
     */
    @Override
    public SignedResult sign(SigningKey key, SigningOptions options, Timestamper timestamper, Path source, Path target,
            String artifactName) throws SigningException {
        try (ZipFile zip = new ZipFile(source.toFile())) {
            return sign(key, options, timestamper, zip, target, artifactName);
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The artifact " + artifactName + " cannot be read: "
                    + Reasons.detail(e) + ".", e);
        }
    }

    private SignedResult sign(SigningKey key, SigningOptions options, Timestamper timestamper, ZipFile source,
            Path target, String artifactName) throws SigningException {
        JarContents.checkForSigning(source, artifactName);
        SignatureAlgorithm algorithm = key.algorithm(options.digest(), options.pss());
        checkPssDigest(key, algorithm, artifactName);
        TimestampSettings settings = timestamper.settings();
        List<String> failures = new ArrayList<>();
        for (URI url : settings.urls()) {
            for (int attempt = 1; attempt <= settings.attemptsPerUrl(); attempt++) {
                if (attempt > 1) {
                    pause(settings);
                }
                try {
                    write(builder(key, options, algorithm, artifactName).tsa(url).build(), source, target);
                    TimestampDetails timestamp = new TimestampDetails(url.toString(),
                            JarVerification.timestampTime(target, options.signerName()));
                    return new SignedResult(null, algorithm, timestamp, List.of());
                } catch (RuntimeException | IOException e) {
                    // JarSignerException, or a bare RuntimeException around the TSA's IOException (JDK 17)
                    rethrowKeyFailure(e);
                    failures.add(url + ": " + reason(e));
                }
            }
        }
        if (settings.enabled() && settings.required()) {
            throw new SigningException(Kind.TIMESTAMP, "No time-stamp authority answered for " + artifactName
                    + " and the profile requires a timestamp (" + String.join("; ", failures) + ").");
        }
        try {
            write(builder(key, options, algorithm, artifactName).build(), source, target);
        } catch (RuntimeException | IOException e) {
            rethrowKeyFailure(e);
            throw new SigningException(Kind.INPUT, "The artifact " + artifactName + " could not be signed as a JAR: "
                    + reason(e) + ".", e);
        }
        List<String> warnings = settings.enabled() ? List.of("not timestamped: " + String.join("; ", failures))
                : List.of();
        return new SignedResult(null, algorithm, null, warnings);
    }

    @Override
    public List<VerificationOutcome> verify(Path file, String artifactName, VerificationOptions options)
            throws SigningException {
        return new JarVerification(options).verify(file, artifactName);
    }

    private static JarSigner.Builder builder(SigningKey key, SigningOptions options, SignatureAlgorithm algorithm,
            String artifactName) throws SigningException {
        JarSigner.Builder builder;
        try {
            builder = new JarSigner.Builder(key.jcaKey(),
                    CertificateFactory.getInstance("X.509").generateCertPath(key.chain()))
                    .digestAlgorithm(algorithm.digest().jcaName())
                    .signatureAlgorithm(jarSignerName(algorithm), key.jcaProvider())
                    .setProperty("tsadigestalg", algorithm.digest().jcaName());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SigningException(Kind.KEY, "The JAR signer cannot sign " + artifactName + " with "
                    + algorithm.jcaName() + ": " + e.getMessage() + ".", e);
        }
        try {
            return builder.signerName(options.signerName());
        } catch (IllegalArgumentException e) {
            throw new SigningException(Kind.CONFIGURATION, "The JAR signer name '" + options.signerName()
                    + "' is not valid: use 1 to 8 letters, digits, '-' or '_'.", e);
        }
    }

    /**
     * JarSigner derives RSA-PSS parameters from the key size (SHA-256 up to 3072 bits), so another digest would be
     * silently replaced in the signature; it is refused instead.
     */
    private static void checkPssDigest(SigningKey key, SignatureAlgorithm algorithm, String artifactName)
            throws SigningException {
        if (algorithm.scheme() != SignatureScheme.RSA_PSS) {
            return;
        }
        String jdkDefault = JarSigner.Builder.getDefaultSignatureAlgorithm(key.jcaKey());
        DigestAlgorithm pssDigest = DigestAlgorithm.parse(jdkDefault.substring(0, jdkDefault.indexOf("with")));
        if (pssDigest != algorithm.digest()) {
            throw new SigningException(Kind.CONFIGURATION, "The JAR signature of " + artifactName + " cannot use "
                    + "RSA-PSS with " + algorithm.digest().jcaName() + ": the JDK uses " + pssDigest.jcaName()
                    + " for PSS with this key, so set the digest to " + pssDigest.jcaName() + " or turn PSS off.");
        }
    }

    /** JarSigner names PSS {@code RSASSA-PSS} and derives its parameters from the key. */
    private static String jarSignerName(SignatureAlgorithm algorithm) {
        return algorithm.scheme() == SignatureScheme.RSA_PSS ? "RSASSA-PSS" : algorithm.jcaName();
    }

    /** Buffered: JarSigner writes headers and small entries in pieces of a few bytes. */
    private static void write(JarSigner signer, ZipFile source, Path target) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 64 * 1024)) {
            signer.sign(source, out);
        }
    }

    /** A token that refused to sign is not a reason to try another time-stamp authority. */
    private static void rethrowKeyFailure(Exception e) throws SigningException {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SigningException s) {
                throw s;
            }
        }
    }

    private static String reason(Exception e) {
        StringBuilder reason = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && reason.indexOf(c.getMessage()) < 0) {
                reason.append(reason.length() == 0 ? "" : ": ").append(c.getMessage());
            }
        }
        String text = Reasons.clean(reason.toString());
        return text.isEmpty() ? Reasons.detail(e) : text;
    }

    private static void pause(TimestampSettings settings) {
        try {
            Thread.sleep(settings.retryWait().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The base name JarSigner gives the signature files. */
    static String signerBaseName(String signerName) {
        return "META-INF/" + signerName.toUpperCase(Locale.ENGLISH) + ".";
    }
}

package io.jenkins.plugins.hsmsigning.engine.formats;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How to sign: formats (empty means "auto": the embedded format the file is, else CMS), digest, padding, timestamps
 * and where detached signatures go. The same options carry the same names in the plugin and on the command line.
 */
public final class SigningOptions {

    private Set<Format> formats = EnumSet.noneOf(Format.class);
    private boolean autoAnd;
    private DigestAlgorithm digest = DigestAlgorithm.SHA256;
    private boolean pss;
    private TimestampSettings timestamps = TimestampSettings.none();
    private Path outputDirectory;
    private boolean replaceSignatures;
    private List<X509Certificate> trustAnchors = List.of();
    private List<X509Certificate> chainFile = List.of();
    private boolean legacyAuthenticodeTimestamp;
    private String signerName = "SIGNER";
    private String programName;
    private String programUrl;

    public static SigningOptions defaults() {
        return new SigningOptions();
    }

    private SigningOptions copy() {
        SigningOptions c = new SigningOptions();
        c.formats = EnumSet.noneOf(Format.class);
        c.formats.addAll(formats);
        c.autoAnd = autoAnd;
        c.digest = digest;
        c.pss = pss;
        c.timestamps = timestamps;
        c.outputDirectory = outputDirectory;
        c.replaceSignatures = replaceSignatures;
        c.trustAnchors = trustAnchors;
        c.chainFile = chainFile;
        c.legacyAuthenticodeTimestamp = legacyAuthenticodeTimestamp;
        c.signerName = signerName;
        c.programName = programName;
        c.programUrl = programUrl;
        return c;
    }

    /** Empty means auto. */
    public SigningOptions formats(Set<Format> value) {
        SigningOptions c = copy();
        c.formats = value.isEmpty() ? EnumSet.noneOf(Format.class) : EnumSet.copyOf(value);
        c.autoAnd = false;
        return c;
    }

    /**
     * "Auto" plus detached formats for every file, so that "embed where possible, and an {@code .asc} for everything"
     * is one run; {@link #formats()} are then the detached ones.
     */
    public SigningOptions autoAnd(Set<Format> detached) throws SigningException {
        for (Format format : detached) {
            if (!format.detached()) {
                throw new SigningException(SigningException.Kind.CONFIGURATION, "The format auto can be combined "
                        + "only with detached formats (cms, pgp), not with " + format.id() + ".");
            }
        }
        SigningOptions c = formats(detached);
        c.autoAnd = !detached.isEmpty();
        return c;
    }

    public SigningOptions digest(DigestAlgorithm value) {
        SigningOptions c = copy();
        c.digest = value;
        return c;
    }

    /** RSA-PSS instead of PKCS#1 v1.5 for RSA keys (CMS, JAR, Authenticode where the format allows). */
    public SigningOptions pss(boolean value) {
        SigningOptions c = copy();
        c.pss = value;
        return c;
    }

    public SigningOptions timestamps(TimestampSettings value) {
        SigningOptions c = copy();
        c.timestamps = value;
        return c;
    }

    /** Where detached signatures go; null means beside the artifact. */
    public SigningOptions outputDirectory(Path value) {
        SigningOptions c = copy();
        c.outputDirectory = value;
        return c;
    }

    /**
     * Authenticode: replace the signatures a file already carries instead of keeping them and nesting the new one
     * (the default). Either way, an earlier signature by the same certificate and digest is replaced, not repeated.
     */
    public SigningOptions replaceSignatures(boolean value) {
        SigningOptions c = copy();
        c.replaceSignatures = value;
        return c;
    }

    /**
     * The roots customers verify against (a profile's trust anchors, the CLI's {@code --trust}). When there are any,
     * the signer's chain must lead to one of them before anything is signed
     * ({@link io.jenkins.plugins.hsmsigning.engine.publication.SignerPath}); empty means no such check.
     */
    public SigningOptions trustAnchors(List<X509Certificate> value) {
        SigningOptions c = copy();
        c.trustAnchors = List.copyOf(value);
        return c;
    }

    /** Authenticode: use the legacy (pre-RFC 3161) timestamp protocol. */
    public SigningOptions legacyAuthenticodeTimestamp(boolean value) {
        SigningOptions c = copy();
        c.legacyAuthenticodeTimestamp = value;
        return c;
    }

    /** JAR: the base name of the signature files in META-INF. */
    public SigningOptions signerName(String value) {
        SigningOptions c = copy();
        c.signerName = value;
        return c;
    }

    /** Authenticode: the description shown by Windows. */
    public SigningOptions programName(String value) {
        SigningOptions c = copy();
        c.programName = value;
        return c;
    }

    public SigningOptions programUrl(String value) {
        SigningOptions c = copy();
        c.programUrl = value;
        return c;
    }

    public Set<Format> formats() {
        return EnumSet.copyOf(formats);
    }

    public boolean autoFormat() {
        return autoAnd || formats.isEmpty();
    }

    public DigestAlgorithm digest() {
        return digest;
    }

    public boolean pss() {
        return pss;
    }

    public TimestampSettings timestamps() {
        return timestamps;
    }

    public Path outputDirectory() {
        return outputDirectory;
    }

    public boolean replaceSignatures() {
        return replaceSignatures;
    }

    /**
     * The certificates of the configured certificate chain file (the profile's certificate chain, the CLI's
     * {@code --cert-chain}), so that those not on the signer's path can be named in a warning.
     */
    public SigningOptions chainFile(List<X509Certificate> value) {
        SigningOptions c = copy();
        c.chainFile = List.copyOf(value);
        return c;
    }

    public List<X509Certificate> chainFile() {
        return chainFile;
    }

    public List<X509Certificate> trustAnchors() {
        return trustAnchors;
    }

    public boolean legacyAuthenticodeTimestamp() {
        return legacyAuthenticodeTimestamp;
    }

    public String signerName() {
        return signerName;
    }

    public String programName() {
        return programName;
    }

    public String programUrl() {
        return programUrl;
    }
}

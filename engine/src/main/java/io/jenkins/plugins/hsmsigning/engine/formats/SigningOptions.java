package io.jenkins.plugins.hsmsigning.engine.formats;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * How to sign: formats (empty means "auto": the embedded format the file is, else CMS), digest, padding, timestamps
 * and where detached signatures go. The same options carry the same names in the plugin and on the command line.
 */
public final class SigningOptions {

    private Set<Format> formats = EnumSet.noneOf(Format.class);
    private DigestAlgorithm digest = DigestAlgorithm.SHA256;
    private boolean pss;
    private TimestampSettings timestamps = TimestampSettings.none();
    private Path outputDirectory;
    private boolean nestSignature;
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
        c.digest = digest;
        c.pss = pss;
        c.timestamps = timestamps;
        c.outputDirectory = outputDirectory;
        c.nestSignature = nestSignature;
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

    /** Authenticode: add a nested signature instead of replacing existing ones. */
    public SigningOptions nestSignature(boolean value) {
        SigningOptions c = copy();
        c.nestSignature = value;
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
        return formats.isEmpty();
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

    public boolean nestSignature() {
        return nestSignature;
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

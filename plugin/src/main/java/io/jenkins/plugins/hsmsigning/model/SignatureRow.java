package io.jenkins.plugins.hsmsigning.model;

import hudson.Util;
import io.jenkins.plugins.hsmsigning.engine.profile.SigningSummary;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import java.util.ArrayList;
import java.util.List;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * One artifact, one format, one operation, as kept in {@code build.xml} and shown on the build: a small, stable copy
 * of the engine's report entry (the full entry is in {@code signatures.json}). Only strings and numbers, so that
 * old builds keep loading whatever the engine's classes become.
 */
@ExportedBean(defaultVisibility = 2)
public final class SignatureRow {

    private final String operation;
    private final String path;
    private final String format;
    private final String signatureFile;
    private final String signer;
    private final String issuer;
    private final String fingerprint;
    private final String timestampAuthority;
    private final String timestampTime;
    private final String sha256Before;
    private final String sha256After;
    private final String digestAlgorithm;
    private final String signatureAlgorithm;
    private final String algorithm;
    private final int signatures;
    private final String status;
    private final String failure;
    private final String reason;
    private final long durationMillis;
    private final List<String> warnings;
    /* Null in builds recorded before they existed. */
    private final String checkedOn;
    private final List<String> trust;

    private static final String INSIDE = "!/";

    SignatureRow(ReportEntry e) {
        operation = e.operation();
        path = e.path();
        format = e.format();
        signatureFile = e.signatureFile();
        signer = e.signer() == null ? null : e.signer().subject();
        issuer = e.signer() == null ? null : e.signer().issuer();
        fingerprint = e.signer() == null ? null : e.signer().sha256Fingerprint();
        timestampAuthority = e.timestamp() == null ? null : e.timestamp().authority();
        timestampTime = e.timestamp() == null || e.timestamp().time() == null ? null
                : e.timestamp().time().toString();
        sha256Before = e.sha256Before();
        sha256After = e.sha256After();
        digestAlgorithm = e.digestAlgorithm();
        signatureAlgorithm = e.signatureAlgorithm();
        algorithm = e.algorithm();
        signatures = e.signers() == null ? 0 : e.signers().size();
        status = e.status().name();
        failure = e.failure() == null ? null : e.failure().name();
        reason = e.reason();
        durationMillis = e.durationMillis() == null ? 0 : e.durationMillis();
        warnings = new ArrayList<>(e.warnings());
        checkedOn = e.checkedOn();
        trust = e.trust() == null ? null : new ArrayList<>(e.trust());
    }

    /**
     * Where the entry was checked: {@code controller}, or {@code agent:} and the agent's name (a verdict only as
     * trustworthy as that agent); null where not recorded (signing, and builds of older versions).
     */
    @Exported
    public String getCheckedOn() {
        return checkedOn;
    }

    /**
     * What a verification was checked against: {@code profile:<id>}, {@code step:trustAnchors},
     * {@code step:pgpKeys}.
     */
    @Exported
    public List<String> getTrust() {
        return trust == null ? List.of() : List.copyOf(trust);
    }

    /** {@code sign} or {@code verify}. */
    @Exported
    public String getOperation() {
        return operation;
    }

    /** The artifact's path relative to the build's artifacts. */
    @Exported
    public String getPath() {
        return path;
    }

    @Exported
    public String getFormat() {
        return format;
    }

    /** The detached signature's artifact path, or null for embedded formats. */
    @Exported
    public String getSignatureFile() {
        return signatureFile;
    }

    /** The signer certificate's subject. */
    @Exported
    public String getSigner() {
        return signer;
    }

    @Exported
    public String getIssuer() {
        return issuer;
    }

    /** SHA-256 fingerprint of the signer certificate, upper-case hex. */
    @Exported
    public String getFingerprint() {
        return fingerprint;
    }

    @Exported
    public String getTimestampAuthority() {
        return timestampAuthority;
    }

    /** ISO-8601 instant of the timestamp, or null when the signature has none. */
    @Exported
    public String getTimestampTime() {
        return timestampTime;
    }

    @Exported
    public String getSha256Before() {
        return sha256Before;
    }

    @Exported
    public String getSha256After() {
        return sha256After;
    }

    @Exported
    public String getDigestAlgorithm() {
        return digestAlgorithm;
    }

    @Exported
    public String getSignatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** The signature algorithm named for people ({@code RSA-3072 with SHA-256}); null in builds before it existed. */
    @Exported
    public String getAlgorithm() {
        return algorithm;
    }

    /** How many signatures the verified signature file carries (0 for signing and older builds). */
    @Exported
    public int getSignatures() {
        return signatures;
    }

    /** {@code SIGNED}, {@code VERIFIED} or {@code FAILED}. */
    @Exported
    public String getStatus() {
        return status;
    }

    @Exported
    public String getFailure() {
        return failure;
    }

    @Exported
    public String getReason() {
        return reason;
    }

    @Exported
    public long getDurationMillis() {
        return durationMillis;
    }

    @Exported
    public List<String> getWarnings() {
        return warnings == null ? List.of() : warnings;
    }

    public boolean isFailed() {
        return "FAILED".equals(status);
    }

    /** The signer's common name (the full subject is {@link #getSigner()}), or null without a signer. */
    public String getSignerName() {
        return signer == null ? null : SigningSummary.commonName(signer);
    }

    public String getShortFingerprint() {
        return shorten(fingerprint);
    }

    public String getShortSha256Before() {
        return shorten(sha256Before);
    }

    public String getShortSha256After() {
        return shorten(sha256After);
    }

    /** The artifact's path as a relative URL under the build's {@code artifact/}: each segment encoded. */
    public String getPathUrl() {
        return url(path);
    }

    /**
     * For a file inside a container ({@code dist/app.zip!/bin/app.exe}), the container's path
     * ({@code dist/app.zip}), which the page links when it is archived; null for an artifact itself.
     */
    public String getContainer() {
        int inside = path == null ? -1 : path.indexOf(INSIDE);
        return inside < 0 ? null : path.substring(0, inside);
    }

    public String getContainerUrl() {
        return url(getContainer());
    }

    /** What follows the container in the path of a file inside it: {@code !/bin/app.exe}. */
    public String getPathInside() {
        String container = getContainer();
        return container == null ? null : path.substring(container.length());
    }

    public String getSignatureFileUrl() {
        return url(signatureFile);
    }

    /** {@code 0A1B2C3D…7E8F9A0B}: enough to compare by eye; the page offers the full value to copy. */
    static String shorten(String hex) {
        return hex == null || hex.length() <= 20 ? hex : hex.substring(0, 8) + "…" + hex.substring(hex.length() - 8);
    }

    private static String url(String relativePath) {
        if (relativePath == null) {
            return null;
        }
        StringBuilder url = new StringBuilder();
        for (String segment : relativePath.split("/", -1)) {
            url.append(url.length() == 0 ? "" : "/").append(Util.rawEncode(segment));
        }
        return url.toString();
    }
}

package io.jenkins.plugins.hsmsigning.engine.jar;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChecks;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.SignerAlgorithms;
import io.jenkins.plugins.hsmsigning.engine.verify.TimestampVerifier;
import io.jenkins.plugins.hsmsigning.engine.verify.TrustValidator;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * Verifies a signed JAR the way the JVM loads it: every entry is read through {@link JarFile}, which checks it
 * against the manifest and the manifest against each signature, and every entry must be covered by every signer.
 * The signature blocks are then read with Bouncy Castle for the algorithms and the RFC 3161 timestamp, which are
 * checked like CMS ones, before each signer's chain is checked at the timestamp's time, or now.
 */
final class JarVerification {

    private final VerificationOptions options;
    private final TrustValidator trust;

    JarVerification(VerificationOptions options) {
        this.options = options;
        this.trust = new TrustValidator(options);
    }

    /** One outcome per signer; none for an unsigned JAR. */
    List<VerificationOutcome> verify(Path file, String name) throws SigningException {
        List<String> content = new ArrayList<>();
        List<String> blocks = new ArrayList<>();
        Map<CodeSigner, Set<String>> covered = new LinkedHashMap<>();
        try (JarFile jar = new JarFile(file.toFile(), true)) {
            byte[] buffer = new byte[64 * 1024];
            for (JarEntry entry : Collections.list(jar.entries())) {
                try (InputStream in = jar.getInputStream(entry)) {
                    while (in.read(buffer) >= 0) {
                        // reading to the end is what makes JarFile check the entry
                    }
                } catch (SecurityException e) {
                    return List.of(tampered(e));
                }
                String entryName = entry.getName();
                if (entry.isDirectory()) {
                    continue;
                }
                if (isSignatureRelated(entryName)) {
                    if (isBlock(entryName)) {
                        blocks.add(entryName);
                    }
                    continue;
                }
                content.add(entryName);
                CodeSigner[] signers = entry.getCodeSigners();
                for (CodeSigner signer : signers == null ? new CodeSigner[0] : signers) {
                    covered.computeIfAbsent(signer, s -> new HashSet<>()).add(entryName);
                }
            }
            if (covered.isEmpty()) {
                return blocks.isEmpty() ? List.of() : List.of(unverifiable(jar, blocks));
            }
            List<SignerInformation> signerInfos = signerInfos(jar, blocks);
            List<VerificationOutcome> outcomes = new ArrayList<>();
            for (Map.Entry<CodeSigner, Set<String>> signer : covered.entrySet()) {
                SignerInformation info = signerInfo(signer.getKey(), signerInfos);
                outcomes.add(named(verify(signer.getKey(), signer.getValue(), content, info), signer.getKey(), info));
            }
            return outcomes;
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The artifact " + name + " cannot be read as a JAR: "
                    + Reasons.detail(e) + ".", e);
        }
    }

    private VerificationOutcome verify(CodeSigner signer, Set<String> covered, List<String> content,
            SignerInformation info) {
        @SuppressWarnings("unchecked")
        List<X509Certificate> chain = (List<X509Certificate>) signer.getSignerCertPath().getCertificates();
        X509Certificate certificate = chain.get(0);
        SignerDetails who = SignerDetails.of(certificate);
        String digestName = info == null ? null : SignerAlgorithms.digest(info);
        String algorithmName = info == null ? null : SignerAlgorithms.signature(info);
        List<String> unsigned = content.stream().filter(e -> !covered.contains(e)).toList();
        if (!unsigned.isEmpty()) {
            return VerificationOutcome.failed(Failure.CONTENT_MODIFIED, unsigned.size() + " entries are not signed "
                    + "by this signer, for example " + unsigned.get(0) + ": they were added after signing", who,
                    digestName, algorithmName, null);
        }
        TimeStampToken token;
        try {
            token = info == null ? null : timestampToken(info);
        } catch (Exception e) {
            return VerificationOutcome.failed(Failure.TIMESTAMP_INVALID, "the timestamp cannot be read", who,
                    digestName, algorithmName, null);
        }
        TimestampDetails timestamp = null;
        if (token != null) {
            VerificationOutcome bad = new TimestampVerifier(trust).check(token, info.getSignature(), certificate);
            if (bad != null) {
                return VerificationOutcome.failed(bad.failure(), bad.reason(), who, digestName, algorithmName, null);
            }
            timestamp = new TimestampDetails(authorityName(token),
                    token.getTimeStampInfo().getGenTime().toInstant());
        }
        return trust.conclude(certificate, chain, timestamp, options.clock().instant(), who, digestName,
                algorithmName);
    }

    /** The time of the timestamp in the signature block JarSigner wrote for {@code signerName}. */
    static Instant timestampTime(Path jar, String signerName) throws IOException {
        String base = JarFormat.signerBaseName(signerName);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.getName().toUpperCase(Locale.ENGLISH).startsWith(base) && isBlock(entry.getName())) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        SignerInformation signer = new CMSSignedData(in).getSignerInfos().iterator().next();
                        TimeStampToken token = timestampToken(signer);
                        if (token != null) {
                            return token.getTimeStampInfo().getGenTime().toInstant();
                        }
                    } catch (Exception e) {
                        throw new IOException("the signature block " + entry.getName() + " cannot be read", e);
                    }
                }
            }
        }
        throw new IOException("the signed JAR has no timestamp for signer " + signerName);
    }

    /** The outcome with its algorithm named for people ({@code RSA-3072 with SHA-256}), when the block was read. */
    private static VerificationOutcome named(VerificationOutcome outcome, CodeSigner signer, SignerInformation info) {
        X509Certificate certificate = (X509Certificate) signer.getSignerCertPath().getCertificates().get(0);
        return info == null ? outcome : outcome.describedAs(SignerAlgorithms.describe(info, certificate), null);
    }

    /** The signature block's signer info for {@code signer}, or null when Bouncy Castle could not read it. */
    private static SignerInformation signerInfo(CodeSigner signer, List<SignerInformation> signerInfos) {
        X509CertificateHolder certificate;
        try {
            certificate = new JcaX509CertificateHolder(
                    (X509Certificate) signer.getSignerCertPath().getCertificates().get(0));
        } catch (Exception e) {
            return null;
        }
        for (SignerInformation info : signerInfos) {
            if (info.getSID().match(certificate)) {
                return info;
            }
        }
        return null;
    }

    /**
     * A JAR whose signature files verify no entry: refused by policy when it is signed with a digest the engine does
     * not accept (SHA-1 blocks or manifests, which the Java runtime disables too), otherwise broken.
     */
    private static VerificationOutcome unverifiable(JarFile jar, List<String> blocks) throws IOException {
        for (SignerInformation info : signerInfos(jar, blocks)) {
            Failure refused = SignerAlgorithms.refusal(info.getDigestAlgorithmID().getAlgorithm());
            if (refused != null) {
                return VerificationOutcome.failed(refused, SignerAlgorithms.refusalReason("the JAR signature",
                        info.getDigestAlgorithmID().getAlgorithm()));
            }
        }
        java.util.jar.Manifest manifest = jar.getManifest();
        if (manifest != null) {
            for (java.util.jar.Attributes attributes : manifest.getEntries().values()) {
                for (Object name : attributes.keySet()) {
                    String attribute = name.toString().toUpperCase(java.util.Locale.ROOT);
                    if (attribute.equals("SHA1-DIGEST") || attribute.equals("MD5-DIGEST")) {
                        return VerificationOutcome.failed(Failure.WEAK_ALGORITHM, "the JAR's manifest lists its "
                                + "entries' digests in " + (attribute.startsWith("SHA1") ? "SHA-1" : "MD5")
                                + ", which is too weak to be accepted: only SHA-256, SHA-384 and SHA-512 are");
                    }
                }
            }
        }
        return VerificationOutcome.failed(Failure.SIGNATURE_INVALID, "the JAR carries signature files but no entry "
                + "verifies with them (the signature is damaged or uses an algorithm this Java runtime disables)");
    }

    private static List<SignerInformation> signerInfos(JarFile jar, List<String> blocks) {
        List<SignerInformation> infos = new ArrayList<>();
        for (String block : blocks) {
            try (InputStream in = jar.getInputStream(jar.getEntry(block))) {
                infos.addAll(new CMSSignedData(in).getSignerInfos().getSigners());
            } catch (IOException | CMSException | RuntimeException e) {
                // JarFile verified the block already; one BC cannot read only loses the algorithm names
            }
        }
        return infos;
    }

    private static TimeStampToken timestampToken(SignerInformation signer) throws Exception {
        AttributeTable unsigned = signer.getUnsignedAttributes();
        Attribute attribute = unsigned == null ? null
                : unsigned.get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
        return attribute == null ? null
                : new TimeStampToken(ContentInfo.getInstance(attribute.getAttrValues().getObjectAt(0)));
    }

    /** A changed entry or manifest section, or a signature block that no longer verifies. */
    private static VerificationOutcome tampered(SecurityException e) {
        String message = Reasons.clean(e.getMessage());
        if (message.contains("signature block")) {
            return VerificationOutcome.failed(Failure.SIGNATURE_INVALID, "the signature does not verify ("
                    + message + ")");
        }
        return VerificationOutcome.failed(Failure.CONTENT_MODIFIED, "the JAR was changed after it was signed ("
                + message + ")");
    }

    private static String authorityName(TimeStampToken token) {
        try {
            return CertificateChecks.subject(Timestamper.signerCertificate(token));
        } catch (Exception e) {
            return null;
        }
    }

    /** The manifest and the signature files directly in META-INF, which JarFile never reports as signed. */
    private static boolean isSignatureRelated(String name) {
        String upper = name.toUpperCase(Locale.ENGLISH);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return upper.equals(JarFile.MANIFEST_NAME) || upper.endsWith(".SF") || isBlock(upper)
                || upper.startsWith("META-INF/SIG-");
    }

    private static boolean isBlock(String name) {
        String upper = name.toUpperCase(Locale.ENGLISH);
        return upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC");
    }
}

package io.jenkins.plugins.hsmsigning.engine.hostile;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeSamples;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What the Jazzer fuzz tests (src/fuzz/java, docs/fuzzing.md) found, kept as regular tests: each input as the fuzzer
 * reduced it, and the behaviour the fix gives it.
 */
public class FuzzFindingsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static SigningKey key;

    @BeforeClass
    public static void open() throws Exception {
        key = TestKeys.open(SoftHsmToken.ECP256);
    }

    @AfterClass
    public static void close() {
        if (key != null) { // null when @BeforeClass skipped the class
            key.close();
        }
    }

    /**
     * FormatDetectionFuzzTest: a local header signature and a few bytes. The JDK's ZipFile says EOFException, not
     * ZipException, so detection threw instead of answering "not a package".
     */
    @Test
    public void aZipSignatureFollowedByTheEndOfTheFile() throws Exception {
        for (String name : List.of("cut.jar", "cut.appx", "cut.zip")) {
            Path file = Files.write(tmp.getRoot().toPath().resolve(name), new byte[] {'P', 'K', 3, 4, 10, 10, 15, 10});
            assertNull(name, Formats.recognize(file));
            assertRefused(file, name, Format.JAR, "too short to be a ZIP archive");
        }
    }

    /**
     * FormatDetectionFuzzTest: an entry name the fuzzer filled with "java." and undecodable bytes, echoed in the
     * reason. Names from files are quoted with quotes, controls, bidirectional overrides and undecodable bytes shown
     * as '?', so that a name can neither break the sentence nor pose as the engine's own words or as another name.
     */
    @Test
    public void entryNamesInReasonsCannotBreakOrDisguiseTheSentence() throws Exception {
        String hostile = "x'\u202Egnp.exe\uFFFD\n";
        RawZip zip = RawZip.jar();
        zip.add(hostile, "one");
        zip.add(hostile, "two");
        Path file = zip.write(tmp.getRoot().toPath().resolve("names.jar"));
        assertRefused(file, "names.jar", Format.JAR, "has two entries named 'x??gnp.exe??'");
    }

    /**
     * EmbeddedVerifierFuzzTest: a signed MSI whose last byte is cut. Verifying it made it longer again: jsign opened
     * MSI files read-write even to verify them, and Apache POI, mapping the last sector past the end, extended the
     * artifact. MSI files are now verified through a read-only channel.
     */
    @Test
    public void verifyingACutMsiDoesNotWriteToIt() throws Exception {
        Path msi = AuthenticodeSamples.MSI.copyTo(tmp.getRoot().toPath());
        List<ReportEntry> signed = new ArtifactSigner(key, SigningOptions.defaults()
                .formats(Set.of(Format.AUTHENTICODE))).sign(msi, "hello.msi");
        assertEquals(signed.toString(), Status.SIGNED, signed.get(0).status());
        byte[] bytes = Files.readAllBytes(msi);
        Files.write(msi, Arrays.copyOf(bytes, bytes.length - 1));
        String hash = Artifacts.sha256(msi);

        List<ReportEntry> verified = new Verifier(VerificationOptions.trusting(List.of(TestPki.shared()
                .caCertificate()))).verify(msi, "hello.msi");

        assertEquals("the artifact is unchanged", hash, Artifacts.sha256(msi));
        assertEquals(bytes.length - 1, Files.size(msi));
        // the byte cut was padding of the last directory sector, which MSI signatures do not cover
        assertEquals(verified.toString(), Status.VERIFIED, verified.get(0).status());
    }

    /**
     * EmbeddedVerifierFuzzTest: a signed catalog whose signer certificate's key algorithm became an unknown OID.
     * Bouncy Castle's "can't create content verifier: exception on setup: java.security.InvalidKeyException:
     * Supplied key (sun.security.x509.X509Key) is not a RSAPublicKey instance" went into the reason as it was.
     * Library messages now pass through {@link Reasons}, which keeps their words and drops the class names.
     */
    @Test
    public void aLibraryMessageInAReasonLosesItsClassNames() throws Exception {
        try (SigningKey rsa = TestKeys.open(SoftHsmToken.RSA3072)) {
            Path cat = AuthenticodeSamples.CAT.copyTo(tmp.getRoot().toPath());
            List<ReportEntry> signed = new ArtifactSigner(rsa, SigningOptions.defaults()
                    .formats(Set.of(Format.AUTHENTICODE))).sign(cat, "hello.cat");
            assertEquals(signed.toString(), Status.SIGNED, signed.get(0).status());
            Patch patch = Patch.of(cat);
            int oid = patch.find(new String(HexFormat.of().parseHex("06092a864886f70d010101"),
                    StandardCharsets.ISO_8859_1), patch.find("HSM Signing Test rsa3072"));
            patch.put(oid + 10, new byte[] {0}).write(cat);
            String hash = Artifacts.sha256(cat);

            ReportEntry entry = new Verifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate())))
                    .verify(cat, "hello.cat").get(0);

            assertEquals(entry.toString(), Status.FAILED, entry.status());
            assertThat(entry.reason(), containsString("hello.cat: the signature value does not verify (can't "
                    + "create content verifier"));
            assertFalse(entry.reason(), entry.reason().contains("Exception") || entry.reason().contains("java."));
            assertEquals(hash, Artifacts.sha256(cat));
        }
        String cleaned = Reasons.detail(new IllegalStateException("can't create content verifier: exception on "
                + "setup: java.security.InvalidKeyException: Supplied key (sun.security.x509.X509Key) is not a "
                + "RSAPublicKey instance."));
        assertEquals("can't create content verifier: exception on setup: Supplied key (X509Key) is not a "
                + "RSAPublicKey instance", cleaned);
        assertEquals("its structure is not what it states", Reasons.detail(new NullPointerException()));
    }

    /**
     * VerifierFuzzTest: the same certificate damage in a detached {@code .p7s}. CMS verification (and the timestamp
     * and OpenPGP verifiers) put library messages into reasons too; the {@link Verifier} now makes every reason it
     * reports one line without class names ({@link Reasons#sentence}), whichever verifier wrote it.
     */
    @Test
    public void aDetachedSignatureWithADamagedCertificateFailsInOneCleanSentence() throws Exception {
        Path dir = tmp.newFolder("detached").toPath();
        Path artifact = Artifacts.random(dir, "good.bin", 100);
        try (SigningKey rsa = TestKeys.open(SoftHsmToken.RSA3072)) {
            new ArtifactSigner(rsa, SigningOptions.defaults().formats(Set.of(Format.CMS))).sign(artifact, "good.bin");
        }
        Path p7s = dir.resolve("good.bin.p7s");
        Patch patch = Patch.of(p7s);
        int leaf = patch.find("HSM Signing Test rsa3072");
        int oid = patch.find(new String(HexFormat.of().parseHex("06092a864886f70d010101"), StandardCharsets.ISO_8859_1),
                leaf);
        patch.put(oid + 10, new byte[] {0}).write(p7s);

        ReportEntry entry = new Verifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate())))
                .verify(artifact, "good.bin").get(0);

        assertEquals(entry.toString(), Status.FAILED, entry.status());
        assertThat(entry.reason(), containsString("good.bin: the signature value does not verify (can't create "
                + "content verifier"));
        assertFalse(entry.reason(), entry.reason().contains("Exception") || entry.reason().contains("java.")
                || entry.reason().contains("sun."));
    }

    /** Signing with "auto" and with {@code explicit}, and verifying: one sentence each, the file unchanged. */
    private void assertRefused(Path file, String name, Format explicit, String fragment) throws Exception {
        String hash = Artifacts.sha256(file);
        for (Set<Format> formats : List.of(Set.<Format>of(), Set.of(explicit))) {
            List<ReportEntry> entries = new ArtifactSigner(key, SigningOptions.defaults().formats(formats))
                    .sign(file, name);
            assertEquals(entries.toString(), 1, entries.size());
            assertEquals(entries.toString(), Status.FAILED, entries.get(0).status());
            assertEquals(Failure.INPUT_ERROR, entries.get(0).failure());
            assertSentence(entries.get(0).reason(), name, fragment);
        }
        List<ReportEntry> verified = new Verifier(VerificationOptions.trusting(List.of(TestPki.shared()
                .caCertificate()))).verify(file, name);
        assertEquals(verified.toString(), Failure.MALFORMED, verified.get(0).failure());
        assertSentence(verified.get(0).reason(), name, fragment);
        assertEquals(hash, Artifacts.sha256(file));
        try (var files = Files.list(file.getParent())) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".hsmsign-")));
        }
    }

    private static void assertSentence(String reason, String name, String fragment) {
        assertThat(reason, containsString(name));
        assertThat(reason, containsString(fragment));
        assertFalse(reason, reason.contains("\n") || reason.contains("Exception"));
    }
}

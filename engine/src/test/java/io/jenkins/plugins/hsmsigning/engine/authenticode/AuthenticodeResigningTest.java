package io.jenkins.plugins.hsmsigning.engine.authenticode;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Set;
import net.jsign.AuthenticodeSigner;
import net.jsign.DigestAlgorithm;
import net.jsign.Signable;
import net.jsign.appx.APPXFile;
import net.jsign.msi.MSIFile;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Signing files that are already signed, by osslsigncode (as a vendor would) or by jsign on its own: earlier
 * signatures are kept and nested by default or replaced when asked, MSI {@code MsiDigitalSignatureEx} streams and
 * APPX block map hash methods are honoured, and every result is checked by {@code osslsigncode verify}.
 */
public class AuthenticodeResigningTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @ClassRule
    public static final TestKeys.OpenedKey RSA = TestKeys.opened(SoftHsmToken.RSA3072);

    @Test
    public void anMsiWithMsiDigitalSignatureExIsReplacedWithoutTheStaleStream() throws Exception {
        for (String hash : List.of("sha1", "sha256")) {
            Path file = vendorMsi(hash);
            ReportEntry signed = EmbeddedSigning.sign(RSA.key(), file, authenticode().replaceSignatures(true));
            assertEquals(signed.reason(), Status.SIGNED, signed.status());
            assertThat(signed.warnings().toString(), containsString("replaced 1 earlier signature: "
                    + "CN=Vendor"));
            assertEquals("the stream went with the signature it was made for", 0, MsiSignatureEx.length(file));
            assertAllVerified(file, 1);
            assertOsslsigncodeAccepts(file, 1);
        }
    }

    @Test
    public void anMsiWithASha256MsiDigitalSignatureExTakesANestedSha256Signature() throws Exception {
        Path file = vendorMsi("sha256");
        ReportEntry signed = EmbeddedSigning.sign(RSA.key(), file, authenticode());
        assertEquals(signed.reason(), Status.SIGNED, signed.status());
        assertThat(signed.warnings().toString(), containsString("kept 1 earlier signature and nested the new one "
                + "after it: CN=Vendor"));
        assertEquals("the kept signature still needs its stream", 32, MsiSignatureEx.length(file));
        assertAllVerified(file, 2);
        assertOsslsigncodeAccepts(file, 2);
    }

    @Test
    public void anMsiWithASha1MsiDigitalSignatureExRefusesANestedSha256SignatureAndStaysUntouched() throws Exception {
        Path file = vendorMsi("sha1");
        String before = Artifacts.sha256(file);
        ReportEntry refused = EmbeddedSigning.sign(RSA.key(), file, authenticode());
        assertEquals(Status.FAILED, refused.status());
        assertEquals(Failure.INPUT_ERROR, refused.failure());
        assertThat(refused.reason(), containsString("MsiDigitalSignatureEx stream made for SHA-1"));
        assertThat(refused.reason(), containsString("replace option"));
        assertEquals(before, Artifacts.sha256(file));
        assertOsslsigncodeAccepts(file, 1);
    }

    @Test
    public void aStaleMsiDigitalSignatureExLeftByJsignIsReportedAsWindowsReportsIt() throws Exception {
        Path file = vendorMsi("sha1");
        try (Signable msi = new MSIFile(file.toFile())) {
            jsign(DigestAlgorithm.SHA256).withSignaturesReplaced(true).sign(msi);
        }
        ToolResult osslsigncode = EmbeddedSigning.osslsigncode(file);
        assertNotEquals(osslsigncode.output(), 0, osslsigncode.exitCode());
        assertThat(osslsigncode.output(), containsString("Incorrect MsiDigitalSignatureEx stream data length"));
        ReportEntry verified = single(EmbeddedSigning.verify(file));
        assertEquals(verified.reason(), Failure.MALFORMED, verified.failure());
        assertThat(verified.reason(), containsString("MsiDigitalSignatureEx stream was made for SHA-1"));
    }

    @Test
    public void aPackageSignedByJsignWithAnotherDigestThanItsBlockMapIsRejected() throws Exception {
        Path file = AuthenticodeSamples.MSIX.copyTo(dir());
        try (Signable msix = new APPXFile(file.toFile())) {
            jsign(DigestAlgorithm.SHA256).sign(msix);
        }
        ToolResult osslsigncode = EmbeddedSigning.osslsigncode(file);
        assertNotEquals(osslsigncode.output(), 0, osslsigncode.exitCode());
        assertThat(osslsigncode.output(), containsString("Failed to extract hashes from the signature"));
        ReportEntry verified = single(EmbeddedSigning.verify(file));
        assertEquals(verified.reason(), Failure.MALFORMED, verified.failure());
        assertThat(verified.reason(), containsString("its block map states SHA-512"));
    }

    @Test
    public void packagesAreSignedWithTheirBlockMapHashMethodAndSaySo() throws Exception {
        for (AuthenticodeSamples sample : List.of(AuthenticodeSamples.MSIX, AuthenticodeSamples.BUNDLE)) {
            Path file = sample.copyTo(dir());
            ReportEntry signed = EmbeddedSigning.sign(RSA.key(), file, SigningOptions.defaults());
            assertEquals(signed.reason(), Status.SIGNED, signed.status());
            assertThat(signed.warnings().toString(), containsString("the hash method its block map states"));
            assertAllVerified(file, 1);
            assertOsslsigncodeAccepts(file, 1);

            ReportEntry again = EmbeddedSigning.sign(RSA.key(), file, SigningOptions.defaults());
            assertEquals("signing again replaces the signer's own signature", Status.SIGNED, again.status());
            assertThat(again.warnings().toString(), containsString("replaced its own earlier signature"));
            assertOsslsigncodeAccepts(file, 1);
        }
    }

    @Test
    public void aPackageWhoseBlockMapHashIsWeakerThanTheConfiguredDigestIsRefused() throws Exception {
        Path file = AuthenticodeSamples.APPX.copyTo(dir());
        String before = Artifacts.sha256(file);
        ReportEntry refused = EmbeddedSigning.sign(RSA.key(), file, SigningOptions.defaults()
                .digest(io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm.SHA384));
        assertEquals(Failure.INPUT_ERROR, refused.failure());
        assertThat(refused.reason(), containsString("its block map states SHA-256"));
        assertThat(refused.reason(), containsString("MakeAppx /h SHA384"));
        assertEquals(before, Artifacts.sha256(file));
    }

    @Test
    public void aNugetPackageSignedByAnotherSignerIsSignedOnlyWhenReplacing() throws Exception {
        Path file = AuthenticodeSamples.NUGET.copyTo(dir());
        try (SigningKey ec = TestKeys.open(SoftHsmToken.ECP256)) {
            assertEquals(Status.SIGNED, EmbeddedSigning.sign(ec, file, authenticode()).status());
        }
        String before = Artifacts.sha256(file);
        ReportEntry refused = EmbeddedSigning.sign(RSA.key(), file, authenticode());
        assertEquals(Failure.INPUT_ERROR, refused.failure());
        assertThat(refused.reason(), containsString("holds one signature only"));
        assertThat(refused.reason(), containsString("CN=HSM Signing Test ecp256"));
        assertEquals(before, Artifacts.sha256(file));

        ReportEntry replaced = EmbeddedSigning.sign(RSA.key(), file, authenticode().replaceSignatures(true));
        assertEquals(replaced.reason(), Status.SIGNED, replaced.status());
        assertAllVerified(file, 1);
    }

    @Test
    public void aVendorSignedExecutableKeepsItsSignatureAndSigningAgainAddsNoDuplicate() throws Exception {
        Path file = AuthenticodeSamples.PE.copyTo(dir());
        Osslsigncode.sign(file, "sha256");

        ReportEntry nested = EmbeddedSigning.sign(RSA.key(), file, SigningOptions.defaults());
        assertEquals(nested.reason(), Status.SIGNED, nested.status());
        assertThat(nested.warnings().toString(), containsString("kept 1 earlier signature"));
        assertAllVerified(file, 2);
        assertOsslsigncodeAccepts(file, 2);

        ReportEntry again = EmbeddedSigning.sign(RSA.key(), file, SigningOptions.defaults());
        assertThat(again.warnings().toString(), containsString("replaced 1 earlier signature"));
        assertThat(again.warnings().toString(), containsString("kept 1 earlier signature"));
        assertAllVerified(file, 2);
        assertOsslsigncodeAccepts(file, 2);

        ReportEntry replaced = EmbeddedSigning.sign(RSA.key(), file, SigningOptions.defaults().replaceSignatures(true));
        assertThat(replaced.warnings().toString(), containsString("replaced 2 earlier signatures"));
        assertThat(replaced.warnings().toString(), not(containsString("kept")));
        assertAllVerified(file, 1);
        assertOsslsigncodeAccepts(file, 1);
    }

    @Test
    public void everyPowerShellKindIsSignedInPlaceUnderAutoAndAcceptedByOsslsigncode() throws Exception {
        for (AuthenticodeSamples sample : List.of(AuthenticodeSamples.PS1, AuthenticodeSamples.PSM1,
                AuthenticodeSamples.PSD1, AuthenticodeSamples.PS1XML, AuthenticodeSamples.PSC1,
                AuthenticodeSamples.CDXML)) {
            Path file = sample.copyTo(dir());
            ReportEntry signed = EmbeddedSigning.sign(RSA.key(), file, SigningOptions.defaults());
            assertEquals(sample + ": " + signed.reason(), "authenticode", signed.format());
            assertAllVerified(file, 1);
            assertOsslsigncodeAccepts(file, 1);
        }
    }

    private Path vendorMsi(String hash) throws Exception {
        Path file = AuthenticodeSamples.MSI.copyTo(tmp.newFolder().toPath());
        Osslsigncode.sign(file, hash, "-add-msi-dse");
        return file;
    }

    private static AuthenticodeSigner jsign(DigestAlgorithm digest) {
        return new AuthenticodeSigner(RSA.key().chain().toArray(new Certificate[0]), RSA.key().jcaKey())
                .withSignatureAlgorithm("SHA256withRSA", RSA.key().jcaProvider()).withDigestAlgorithm(digest)
                .withTimestamping(false);
    }

    private static void assertAllVerified(Path file, int count) {
        List<ReportEntry> verified = EmbeddedSigning.verify(file);
        assertEquals(verified.toString(), count, verified.size());
        for (ReportEntry entry : verified) {
            assertEquals(entry.reason(), Status.VERIFIED, entry.status());
        }
    }

    private static void assertOsslsigncodeAccepts(Path file, int signatures) {
        ToolResult result = EmbeddedSigning.osslsigncode(file);
        assertEquals(result.output(), 0, result.exitCode());
        assertThat(result.output(), containsString("Number of verified signatures: " + signatures));
    }

    private static ReportEntry single(List<ReportEntry> entries) {
        assertEquals(entries.toString(), 1, entries.size());
        return entries.get(0);
    }

    private static SigningOptions authenticode() {
        return SigningOptions.defaults().formats(Set.of(Format.AUTHENTICODE));
    }

    private Path dir() {
        return tmp.getRoot().toPath();
    }
}

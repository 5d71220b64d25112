package io.jenkins.plugins.hsmsigning.engine.pgp;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.startsWith;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Gpg;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * OpenPGP signatures made by gpg (EdDSA, ECDSA, signing subkeys, revoked and expired keys, several signers), each
 * verdict asserted, and cross-checked with gpg where it has a verdict of its own.
 */
public class GpgInteropTest {

    private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Gpg gpg;
    private Path dir;

    @Before
    public void startGpg() throws Exception {
        dir = tmp.getRoot().toPath();
        gpg = Gpg.in(dir);
    }

    @After
    public void stopGpg() {
        if (gpg != null) {
            gpg.close();
        }
    }

    @Test
    public void ed25519SignatureVerifiesAndATamperedArtifactIsCalledModified() throws Exception {
        String alice = gpg.generate("Alice <alice@example.org>", "ed25519", "sign", day(0));
        Path artifact = artifact("app.tar.gz", "release 1.0\n");
        gpg.detachSign(artifact, asc(artifact), day(1), List.of(), alice);
        assertEquals(0, gpg.verify(asc(artifact), artifact).exitCode());

        ReportEntry entry = verify(artifact, alice);

        assertEquals(entry.toString(), Status.VERIFIED, entry.status());
        assertThat(entry.algorithm(), startsWith("Ed25519 with SHA-"));
        assertEquals("Alice <alice@example.org>", entry.signer().subject());
        assertEquals(alice, entry.signer().sha256Fingerprint());
        assertEquals(day(1), entry.signers().get(0).signedAt());
        Files.writeString(artifact, "release 1.1\n");
        ReportEntry tampered = verify(artifact, alice);
        assertEquals(Failure.CONTENT_MODIFIED, tampered.failure());
        assertEquals(1, tampered.signers().size());
    }

    @Test
    public void ecdsaP256SignatureVerifies() throws Exception {
        String bob = gpg.generate("Bob <bob@example.org>", "nistp256", "sign", day(0));
        Path artifact = artifact("lib.zip", "zip bytes");
        gpg.detachSign(artifact, asc(artifact), day(1), List.of("--digest-algo", "SHA384"), bob);

        ReportEntry entry = verify(artifact, bob);

        assertEquals(entry.toString(), Status.VERIFIED, entry.status());
        assertEquals("ECDSA P-256 with SHA-384", entry.algorithm());
        assertEquals("SHA384withECDSA", entry.signatureAlgorithm());
    }

    @Test
    public void rsa4096VerifiesAndSha1IsRefusedAsWeakNotForged() throws Exception {
        String carol = gpg.generate("Carol <carol@example.org>", "rsa4096", "sign", day(0));
        Path artifact = artifact("tool.bin", "tool");
        gpg.detachSign(artifact, asc(artifact), day(1), List.of("--digest-algo", "SHA256"), carol);
        ReportEntry entry = verify(artifact, carol);
        assertEquals(entry.toString(), Status.VERIFIED, entry.status());
        assertEquals("RSA-4096 with SHA-256", entry.algorithm());

        gpg.detachSign(artifact, asc(artifact), day(1), List.of("--digest-algo", "SHA1"), carol);
        ReportEntry sha1 = verify(artifact, carol);
        assertEquals(sha1.toString(), Failure.WEAK_ALGORITHM, sha1.failure());
        assertEquals("RSA-4096 with SHA-1", sha1.algorithm());
        assertThat(sha1.reason(), containsString("SHA-1"));
    }

    @Test
    public void aSigningSubkeyVerifiesForItsCertifyOnlyPrimaryKey() throws Exception {
        String dave = gpg.generate("Dave <dave@example.org>", "ed25519", "cert", day(0));
        String subkey = gpg.addSubkey(dave, "ed25519", "sign", day(0));
        Path artifact = artifact("subkey.bin", "signed by a subkey");
        gpg.detachSign(artifact, asc(artifact), day(1), List.of(), subkey);

        ReportEntry entry = verify(artifact, dave);

        assertEquals(entry.toString(), Status.VERIFIED, entry.status());
        assertEquals("Dave <dave@example.org>", entry.signer().subject());
        assertEquals(subkey.substring(24), entry.signer().serialNumber());
    }

    @Test
    public void aSubkeyWithoutItsBindingSignatureIsNotTrusted() throws Exception {
        String erin = gpg.generate("Erin <erin@example.org>", "ed25519", "cert", day(0));
        String subkey = gpg.addSubkey(erin, "ed25519", "sign", day(0));
        Path artifact = artifact("unbound.bin", "unbound");
        gpg.detachSign(artifact, asc(artifact), day(1), List.of(), subkey);
        List<PGPPublicKey> unbound = new ArrayList<>();
        for (PGPPublicKey key : PgpKeys.read(gpg.export(erin), "erin.asc")) {
            if (!key.isMasterKey()) {
                for (var it = key.getSignaturesOfType(org.bouncycastle.openpgp.PGPSignature.SUBKEY_BINDING);
                        it.hasNext();) {
                    key = PGPPublicKey.removeCertification(key, it.next());
                    it = key.getSignaturesOfType(org.bouncycastle.openpgp.PGPSignature.SUBKEY_BINDING);
                }
            }
            unbound.add(key);
        }

        ReportEntry entry = new Verifier(VerificationOptions.trusting(List.of()).withPgpKeys(unbound))
                .verify(artifact, "unbound.bin").get(0);

        assertEquals(entry.toString(), Failure.UNTRUSTED, entry.failure());
        assertThat(entry.reason(), containsString("binding signature"));
    }

    @Test
    public void aKeyRevokedWithoutAReasonWithdrawsEvenItsEarlierSignatures() throws Exception {
        String frank = gpg.generate("Frank <frank@example.org>", "ed25519", "sign", day(0));
        Path artifact = artifact("before.bin", "signed before the revocation");
        gpg.detachSign(artifact, asc(artifact), day(1), List.of(), frank);
        assertEquals(Status.VERIFIED, verify(artifact, frank).status());
        gpg.importGeneratedRevocation(frank);

        ReportEntry entry = verify(artifact, frank);

        assertEquals(entry.toString(), Failure.KEY_REVOKED, entry.failure());
        assertThat(entry.reason(), containsString("without a reason"));
    }

    @Test
    public void aSupersededKeyKeepsItsEarlierSignaturesAndLosesLaterOnes() throws Exception {
        String grace = gpg.generate("Grace <grace@example.org>", "ed25519", "sign", day(0));
        Path early = artifact("early.bin", "before");
        Path late = artifact("late.bin", "after");
        gpg.detachSign(early, asc(early), day(1), List.of(), grace);
        gpg.detachSign(late, asc(late), day(3), List.of(), grace);
        gpg.revoke(grace, 2, day(2));

        assertEquals(Status.VERIFIED, verify(early, grace).status());
        ReportEntry after = verify(late, grace);
        assertEquals(after.toString(), Failure.KEY_REVOKED, after.failure());
        assertThat(after.reason(), containsString("superseded"));
    }

    @Test
    public void aCompromisedSubkeyIsRevoked() throws Exception {
        String heidi = gpg.generate("Heidi <heidi@example.org>", "ed25519", "cert", day(0));
        String subkey = gpg.addSubkey(heidi, "ed25519", "sign", day(0));
        Path artifact = artifact("sub.bin", "subkey signed");
        gpg.detachSign(artifact, asc(artifact), day(1), List.of(), subkey);
        gpg.revokeSubkey(heidi, 1, 1, day(2));

        ReportEntry entry = verify(artifact, heidi);

        assertEquals(entry.toString(), Failure.KEY_REVOKED, entry.failure());
        assertThat(entry.reason(), containsString("compromised"));
    }

    @Test
    public void aSignatureMadeWhileTheKeyWasValidOutlivesItsExpiry() throws Exception {
        String ivan = gpg.generate("Ivan <ivan@example.org>", "ed25519", "sign", day(0));
        Path early = artifact("valid.bin", "while valid");
        Path late = artifact("expired.bin", "after expiry");
        gpg.detachSign(early, asc(early), day(1), List.of(), ivan);
        gpg.detachSign(late, asc(late), day(10), List.of(), ivan);
        gpg.setExpiry(ivan, "2020-01-06", day(2));

        assertEquals(Status.VERIFIED, verify(early, ivan).status());
        ReportEntry expired = verify(late, ivan);
        assertEquals(expired.toString(), Failure.KEY_EXPIRED, expired.failure());
        assertThat(expired.reason(), containsString("expired on 2020-01-06"));
    }

    @Test
    public void aSubkeySignatureMadeAfterTheSubkeyExpiredFails() throws Exception {
        String nina = gpg.generate("Nina <nina@example.org>", "ed25519", "cert", day(0));
        String subkey = gpg.addSubkey(nina, "ed25519", "sign", day(0));
        Path early = artifact("sub-valid.bin", "while valid");
        Path late = artifact("sub-expired.bin", "after expiry");
        gpg.detachSign(early, asc(early), day(1), List.of(), subkey);
        gpg.detachSign(late, asc(late), day(10), List.of(), subkey);
        gpg.setSubkeyExpiry(nina, subkey, "2020-01-06", day(2));

        assertEquals(Status.VERIFIED, verify(early, nina).status());
        ReportEntry expired = verify(late, nina);
        assertEquals(expired.toString(), Failure.KEY_EXPIRED, expired.failure());
        assertThat(expired.reason(), containsString("subkey " + subkey.substring(24) + " expired on 2020-01-06"));
    }

    @Test
    public void severalSignaturesVerifyWhenOneIsTrustedAndNoneIsBad() throws Exception {
        String judy = gpg.generate("Judy <judy@example.org>", "ed25519", "sign", day(0));
        String mallory = gpg.generate("Mallory <mallory@example.org>", "nistp256", "sign", day(0));
        Path artifact = artifact("both.bin", "two signers");
        gpg.detachSign(artifact, asc(artifact), day(1), List.of(), judy, mallory);

        ReportEntry onlyJudy = verify(artifact, judy);
        assertEquals(onlyJudy.toString(), Status.VERIFIED, onlyJudy.status());
        assertEquals(2, onlyJudy.signers().size());
        assertEquals(Status.VERIFIED, onlyJudy.signers().get(0).status());
        assertEquals(Failure.UNTRUSTED, onlyJudy.signers().get(1).failure());
        assertEquals(mallory.substring(24), onlyJudy.signers().get(1).signer().serialNumber());
        assertThat(onlyJudy.warnings().toString(), containsString("not among the trusted"));

        ReportEntry nobody = new Verifier(VerificationOptions.trusting(List.of())).verify(artifact, "both.bin")
                .get(0);
        assertEquals(Failure.UNTRUSTED, nobody.failure());
        assertEquals(2, nobody.signers().size());
    }

    @Test
    public void aBadSignatureByATrustedKeyFailsTheFileDespiteAGoodOne() throws Exception {
        String judy = gpg.generate("Judy <judy@example.org>", "ed25519", "sign", day(0));
        String oscar = gpg.generate("Oscar <oscar@example.org>", "ed25519", "sign", day(0));
        Path artifact = artifact("mixed.bin", "the artifact");
        Path other = artifact("other.bin", "another file");
        Path good = gpg.detachSign(artifact, dir.resolve("good.asc"), day(1), List.of(), judy);
        Path wrong = gpg.detachSign(other, dir.resolve("wrong.asc"), day(1), List.of(), oscar);
        Files.writeString(asc(artifact), Files.readString(good) + Files.readString(wrong));

        ReportEntry judyOnly = verify(artifact, judy);
        assertEquals(judyOnly.toString(), Status.VERIFIED, judyOnly.status());
        List<PGPPublicKey> both = new ArrayList<>(PgpKeys.read(gpg.export(judy), "judy.asc"));
        both.addAll(PgpKeys.read(gpg.export(oscar), "oscar.asc"));
        ReportEntry entry = new Verifier(VerificationOptions.trusting(List.of()).withPgpKeys(both))
                .verify(artifact, "mixed.bin").get(0);
        assertEquals(entry.toString(), Failure.CONTENT_MODIFIED, entry.failure());
        assertEquals(Status.VERIFIED, entry.signers().get(0).status());
        assertEquals(Failure.CONTENT_MODIFIED, entry.signers().get(1).failure());
    }

    @Test
    public void textModeSignaturesCoverTheTextWhateverItsLineEndings() throws Exception {
        String kim = gpg.generate("Kim <kim@example.org>", "ed25519", "sign", day(0));
        Path artifact = artifact("notes.txt", "line one\nline two\n");
        gpg.detachSign(artifact, asc(artifact), day(1), List.of("--textmode"), kim);
        assertEquals(Status.VERIFIED, verify(artifact, kim).status());

        Files.writeString(artifact, "line one\r\nline two\r\n");
        ReportEntry crlf = verify(artifact, kim);
        assertEquals(crlf.toString(), Status.VERIFIED, crlf.status());
        assertEquals(0, gpg.verify(asc(artifact), artifact).exitCode());

        Files.writeString(artifact, "line one\nline 2\n");
        assertEquals(Failure.CONTENT_MODIFIED, verify(artifact, kim).failure());
    }

    @Test
    public void aClearSignedDocumentVerifiesWhereItLiesAndBesideItsText() throws Exception {
        String lee = gpg.generate("Lee <lee@example.org>", "ed25519", "sign", day(0));
        String text = "Origin: Example\n-----dashes start this line\ntrailing spaces   \n"
                + "e3b0c44298fc1c149afbf4c8996fb924  app.tar.gz\n";
        Path sums = artifact("SHA256SUMS", text);
        Path signed = gpg.clearSign(sums, asc(sums), day(1), lee);

        ReportEntry inPlace = verify(signed, lee);
        assertEquals(inPlace.toString(), Status.VERIFIED, inPlace.status());
        assertEquals("pgp", inPlace.format());
        assertNull(inPlace.signatureFile());
        ReportEntry beside = verify(sums, lee);
        assertEquals(beside.toString(), Status.VERIFIED, beside.status());
        assertEquals("SHA256SUMS.asc", beside.signatureFile());

        Files.writeString(sums, text.replace("app.tar.gz", "evil.tar.gz"));
        assertEquals(Failure.CONTENT_MODIFIED, verify(sums, lee).failure());
        Path inRelease = artifact("InRelease", Files.readString(signed).replace("Example", "Exampl3"));
        assertEquals(Failure.CONTENT_MODIFIED, verify(inRelease, lee).failure());
    }

    private ReportEntry verify(Path artifact, String trustedKey) throws Exception {
        List<PGPPublicKey> keys = PgpKeys.read(gpg.export(trustedKey), "key.asc");
        List<ReportEntry> entries = new Verifier(VerificationOptions.trusting(List.of()).withPgpKeys(keys))
                .verify(artifact, artifact.getFileName().toString());
        assertEquals(entries.toString(), 1, entries.size());
        return entries.get(0);
    }

    private Path artifact(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private static Path asc(Path artifact) {
        return artifact.resolveSibling(artifact.getFileName() + ".asc");
    }

    private static Instant day(int n) {
        return T0.plus(Duration.ofDays(n));
    }
}

package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.CoreMatchers.startsWith;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeSamples;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.Test;

/** What a release engineer reads and collects: formats combined, sorted aligned lines, reports by extension. */
public class OutputAndReportTest extends CliTestCase {

    @Test
    public void autoCombinesWithPgpEmbeddingWherePossibleAndAscForEveryFile() throws Exception {
        Path jar = jar("lib.jar");
        Path text = file("notes.txt", "notes\n");

        ToolResult signed = signWithKeystore("--format", "auto", "--format", "pgp", "lib.jar", "notes.txt");

        assertExit(0, signed);
        assertThat(signed.stdout(), containsString("4 signed, 0 failed"));
        assertFalse(Files.exists(work.resolve("lib.jar.p7s")));
        assertTrue(Files.exists(work.resolve("lib.jar.asc")));
        assertTrue(Files.exists(work.resolve("notes.txt.p7s")));
        assertTrue(Files.exists(work.resolve("notes.txt.asc")));
        ExternalTool.require("jarsigner");
        ToolResult jarsigner = ExternalTool.run(List.of("jarsigner", "-verify", jar.toString()));
        assertThat(jarsigner.output(), jarsigner.stdout(), containsString("jar verified."));
        Path ca = TestPki.shared().writeCaPem(work.resolve("ca.pem"));
        ToolResult openssl = openSslVerify(text, work.resolve("notes.txt.p7s"), ca);
        assertEquals(openssl.output(), 0, openssl.exitCode());
        assertExit(0, run("export-pgp-key", "--keystore", "dev.p12", "--key-alias", "dev", "--pin-env", PIN_VARIABLE,
                "--out", "key.asc"));
        ToolResult gpg = gpgVerify(work.resolve("key.asc"), work.resolve("lib.jar.asc"), jar);
        assertEquals(gpg.output(), 0, gpg.exitCode());
    }

    @Test
    public void linesAreSortedByPathInAlignedColumnsWithATimestampColumnAndAWarningAtSignTime() throws Exception {
        file("b-long-name.txt", "b");
        file("a.txt", "a");
        file("c.txt", "c");

        ToolResult signed = signWithKeystore("c.txt", "b-long-name.txt", "a.txt");

        assertExit(0, signed);
        List<String> lines = signed.stdout().lines().filter(l -> l.startsWith("SIGNED")).toList();
        assertEquals(signed.output(), 3, lines.size());
        assertThat(lines.get(0), containsString(" a.txt "));
        assertThat(lines.get(1), containsString(" b-long-name.txt "));
        assertThat(lines.get(2), containsString(" c.txt "));
        int signerColumn = lines.get(1).indexOf("HSM Signing Test software key");
        for (String line : lines) {
            assertEquals(signed.stdout(), signerColumn, line.indexOf("HSM Signing Test software key"));
            assertEquals(signed.stdout(), lines.get(1).indexOf("no timestamp"), line.indexOf("no timestamp"));
        }
        assertThat(signed.stderr(), containsString("warning: no --tsa given, so the signatures carry no timestamp"));
    }

    @Test
    public void theReportFormatFollowsTheExtension() throws Exception {
        file("app.txt", "app <script>\n");

        assertExit(0, signWithKeystore("--report", "signed.html", "app.txt"));
        assertExit(0, signWithKeystore("--report", "signed.json", "app.txt"));

        String html = Files.readString(work.resolve("signed.html"), StandardCharsets.UTF_8);
        assertThat(html, startsWith("<!DOCTYPE html>"));
        assertThat(html, containsString("app.txt"));
        assertThat(html, not(containsString(PIN)));
        assertEquals(Status.SIGNED, SignatureReport.read(work.resolve("signed.json")).entries().get(0).status());
    }

    @Test
    public void verifyWritesAReportToo() throws Exception {
        file("app.txt", "app\n");
        file("other.txt", "other\n");
        assertExit(0, signWithKeystore("app.txt", "other.txt"));
        Files.writeString(work.resolve("other.txt"), "changed\n");
        Path ca = TestPki.shared().writeCaPem(work.resolve("ca.pem"));

        ToolResult verified = run("verify", "--trust", ca.toString(), "--report", "verified.json", "app.txt",
                "other.txt");
        ToolResult html = run("verify", "--trust", ca.toString(), "--report", "verified.html", "app.txt");

        assertExit(1, verified);
        List<ReportEntry> entries = SignatureReport.read(work.resolve("verified.json")).entries();
        assertEquals(2, entries.size());
        assertEquals(Status.VERIFIED, entries.get(0).status());
        assertEquals(Status.FAILED, entries.get(1).status());
        assertExit(0, html);
        assertThat(Files.readString(work.resolve("verified.html")), startsWith("<!DOCTYPE html>"));
    }

    @Test
    public void anArgumentFileListsTheArtifacts() throws Exception {
        file("dist/one.txt", "1");
        file("dist/two words.txt", "2");
        Files.writeString(work.resolve("artifacts.txt"), "dist/one.txt\n\"dist/two words.txt\"\n");

        ToolResult signed = signWithKeystore("@" + work.resolve("artifacts.txt"));

        assertExit(0, signed);
        assertTrue(Files.exists(work.resolve("dist/one.txt.p7s")));
        assertTrue(Files.exists(work.resolve("dist/two words.txt.p7s")));
    }

    @Test
    public void authenticodeProgramNameAndUrlReachTheSignature() throws Exception {
        ExternalTool.require("osslsigncode");
        Path exe = AuthenticodeSamples.PE.copyTo(work);

        ToolResult signed = signWithKeystore("--name", "Acme Updater", "--url", "https://acme.example/updater",
                exe.getFileName().toString());

        assertExit(0, signed);
        ToolResult shown = ExternalTool.run(List.of("osslsigncode", "verify", "-in", exe.toString()));
        assertThat(shown.output(), containsString("Acme Updater"));
        assertThat(shown.output(), containsString("https://acme.example/updater"));
    }

    private Path jar(String name) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path jar = work.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("lib/data.txt"));
            out.write("data".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }
}

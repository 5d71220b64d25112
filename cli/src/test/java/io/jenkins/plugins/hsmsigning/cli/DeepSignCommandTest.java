package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.Test;

public class DeepSignCommandTest extends CliTestCase {

    @Test
    public void deepSignsTheJarInsideAZipAndDeepVerifyReportsIt() throws Exception {
        zip(work.resolve("dist/app.zip"));

        ToolResult signed = sign(SoftHsmToken.RSA3072, "--deep", "--inner-detached", "docs/*.txt", "--report",
                "report.json", "dist/app.zip");

        assertExit(0, signed);
        assertThat(signed.stdout(), containsString("dist/app.zip!/lib/tool.jar"));
        assertTrue(Files.isRegularFile(work.resolve("dist/app.zip.p7s")));
        List<String> paths = SignatureReport.read(work.resolve("report.json")).entries().stream()
                .map(e -> e.path() + " " + e.format()).toList();
        assertEquals(List.of("dist/app.zip!/lib/tool.jar jar", "dist/app.zip!/docs/readme.txt cms", "dist/app.zip cms"),
                paths);

        ToolResult verified = run("verify", "--deep", "--json", "--trust", token().caPem().toString(),
                "dist/app.zip");
        assertExit(0, verified);
        assertThat(verified.stdout(), containsString("dist/app.zip!/lib/tool.jar"));
        assertThat(verified.stdout(), containsString("dist/app.zip!/docs/readme.txt"));
    }

    @Test
    public void innerExcludesLeaveTheJarAlone() throws Exception {
        zip(work.resolve("app.zip"));

        ToolResult signed = sign(SoftHsmToken.RSA3072, "--deep", "--inner-excludes", "lib/**", "app.zip");

        assertExit(0, signed);
        assertThat(signed.stdout(), containsString("1 signed, 0 failed"));
        ToolResult verified = run("verify", "--trust", token().caPem().toString(), "app.zip");
        assertExit(0, verified);
    }

    private static void zip(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (JarOutputStream out = new JarOutputStream(jar, manifest)) {
            out.putNextEntry(new ZipEntry("com/example/Hello.class"));
            out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0});
            out.closeEntry();
        }
        try (OutputStream raw = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(raw)) {
            zip.putNextEntry(new ZipEntry("lib/tool.jar"));
            zip.write(jar.toByteArray());
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("docs/readme.txt"));
            zip.write("read me\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }
}

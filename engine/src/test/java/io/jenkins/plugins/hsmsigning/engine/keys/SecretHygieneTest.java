package io.jenkins.plugins.hsmsigning.engine.keys;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.report.RunContext;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** PINs and passwords appear in no exception, log line, report or toString(), on success or failure. */
public class SecretHygieneTest {

    private static final String WRONG_PIN = "731946";
    private static final String P12_PASSWORD = "p12-Pa55word-93";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void noSecretLeaksAnywhere() throws Exception {
        String pin = new String(SoftHsmToken.shared().pin());
        List<String> texts = new ArrayList<>();
        List<LogRecord> logs = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logs.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setOut(new PrintStream(console, true));
        System.setErr(new PrintStream(console, true));
        try {
            try (Secret wrong = Secret.of(WRONG_PIN.toCharArray())) {
                texts.add(stackTrace(assertThrows(SigningException.class, () -> TestKeys.source(SoftHsmToken.RSA3072).open(wrong))));
                texts.add(wrong.toString());
            }
            try (SigningKey open = TestKeys.open(SoftHsmToken.RSA3072); Secret wrong = Secret.of(WRONG_PIN.toCharArray())) {
                texts.add(stackTrace(assertThrows(SigningException.class, () -> TestKeys.source(SoftHsmToken.ECP256).open(wrong))));
                texts.add(stackTrace(assertThrows(SigningException.class, () -> TestKeys.open("missing-alias"))));
                texts.add(stackTrace(assertThrows(SigningException.class, () -> TestKeys.open(SoftHsmToken.EXPIRED))));
                SignatureReport report = new SignatureReport(RunContext.now("test", Map.of("job", "j")));
                Path artifact = Artifacts.random(tmp.getRoot().toPath(), "a.bin", 100);
                report.addAll(new ArtifactSigner(open, SigningOptions.defaults().formats(Set.of(Format.CMS, Format.PGP)))
                        .sign(artifact, "a.bin"));
                report.addAll(new ArtifactSigner(open, SigningOptions.defaults()).sign(tmp.getRoot().toPath().resolve("missing"), "missing"));
                texts.add(report.toJson());
                texts.add(open.toString());
                texts.add(open.jcaKey().toString());
                texts.add(TestKeys.source(SoftHsmToken.RSA3072).toString());
            }
            KeyPair pair = TestPki.generateRsa(2048);
            X509Certificate cert = TestPki.shared().issueCodeSigning(pair.getPublic(), "p12 signer");
            byte[] p12 = TestPki.shared().pkcs12(pair, new X509Certificate[] {cert}, "k", P12_PASSWORD.toCharArray());
            try (Secret wrong = Secret.of("not-the-password".toCharArray())) {
                texts.add(stackTrace(assertThrows(SigningException.class, () -> Pkcs12KeySource.of(p12, "dev.p12").open(wrong))));
            }
            try (Secret password = Secret.of(P12_PASSWORD.toCharArray()); SigningKey key = Pkcs12KeySource.of(p12, "dev.p12").open(password)) {
                texts.add(key.toString());
                texts.add(password.toString());
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            root.removeHandler(handler);
        }
        texts.add(console.toString());
        for (LogRecord record : logs) {
            texts.add(record.getMessage() + " " + (record.getThrown() == null ? "" : stackTrace(record.getThrown())));
        }
        for (String text : texts) {
            for (String secret : List.of(pin, WRONG_PIN, P12_PASSWORD, "not-the-password")) {
                assertThat(text, not(containsString(secret)));
            }
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}

package io.jenkins.plugins.hsmsigning.engine.keys;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TokenRemovalTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aTokenRemovedBetweenTwoSignaturesFailsTheSecondCleanly() throws Exception {
        SoftHsmToken token = SoftHsmToken.shared();
        Pkcs11KeySource source = Pkcs11KeySource.library(token.library()).tokenLabel(token.removableTokenLabel())
                .keyAlias(SoftHsmToken.REMOVABLE);
        Path first = Artifacts.random(tmp.getRoot().toPath(), "first.bin", 1000);
        Path second = Artifacts.random(tmp.getRoot().toPath(), "second.bin", 1000);
        try (Secret pin = Secret.of(token.pin()); SigningKey key = source.open(pin)) {
            ArtifactSigner signer = new ArtifactSigner(key, SigningOptions.defaults().formats(Set.of(Format.CMS)));
            assertEquals(Status.SIGNED, signer.sign(first, "first.bin").get(0).status());
            token.removeRemovableToken();
            ReportEntry entry = signer.sign(second, "second.bin").get(0);
            assertEquals(Status.FAILED, entry.status());
            assertEquals(Failure.KEY_ERROR, entry.failure());
            assertThat(entry.reason(), containsString("'" + token.removableTokenLabel() + "'"));
            assertThat(entry.reason(), containsString("Nothing was signed"));
            assertFalse("nothing half-written", Files.exists(second.resolveSibling("second.bin.p7s")));
            assertTrue(Files.exists(first.resolveSibling("first.bin.p7s")));
        }
    }
}

package io.jenkins.plugins.hsmsigning.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.CertificateCredentialsImpl;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The "Test connection" buttons, called as the form calls them (ADMINISTER; the test runs as SYSTEM). Messages are
 * HTML-escaped by {@link FormValidation#error(String)}, hence the {@code &#039;} for quotes.
 */
public class TestConnectionTest {

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void pkcs11RightPinListsTheKeysWrongPinSaysSo() throws Exception {
        SoftHsmToken token = SoftHsmToken.shared();
        SystemCredentialsProvider credentials = SystemCredentialsProvider.getInstance();
        credentials.getCredentials().add(TestProfiles.pin(token));
        credentials.getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL, "wrong-pin", "wrong",
                Secret.fromString("99999999")));
        credentials.save();
        Pkcs11KeySourceConfig.DescriptorImpl descriptor =
                j.jenkins.getDescriptorByType(Pkcs11KeySourceConfig.DescriptorImpl.class);

        FormValidation ok = descriptor.doTestConnection(token.library().toString(), token.tokenLabel(), "", "",
                SoftHsmToken.RSA3072, TestProfiles.PIN_ID);
        assertEquals(ok.getMessage(), FormValidation.Kind.OK, ok.kind);
        assertThat(ok.getMessage(), containsString("Logged in. Keys: "));
        assertThat(ok.getMessage(), containsString(SoftHsmToken.RSA3072 + ": CN=HSM Signing Test rsa3072"));
        assertThat(ok.getMessage(), containsString(SoftHsmToken.ECP256 + ": CN=HSM Signing Test ecp256"));
        assertThat(ok.getMessage(), not(containsString(TestProfiles.pinText(token))));

        FormValidation missingAlias = descriptor.doTestConnection(token.library().toString(), token.tokenLabel(),
                null, null, "no-such-key", TestProfiles.PIN_ID);
        assertEquals(FormValidation.Kind.WARNING, missingAlias.kind);
        assertThat(missingAlias.getMessage(), containsString("the token has no key &#039;no-such-key&#039;"));

        FormValidation wrong = descriptor.doTestConnection(token.library().toString(), token.tokenLabel(), null,
                null, SoftHsmToken.RSA3072, "wrong-pin");
        assertEquals(FormValidation.Kind.ERROR, wrong.kind);
        assertThat(wrong.getMessage(), containsString("Wrong PIN"));
        assertThat(wrong.getMessage(), not(containsString("99999999")));

        FormValidation noCredential = descriptor.doTestConnection(token.library().toString(), token.tokenLabel(),
                null, null, SoftHsmToken.RSA3072, "nope");
        assertEquals(FormValidation.Kind.ERROR, noCredential.kind);
        assertThat(noCredential.getMessage(), containsString("global Secret text credential"));
    }

    @Test
    public void pkcs12OpensTheKeyOrSaysWhyNot() throws Exception {
        KeyPair pair = TestPki.generateEc("secp256r1");
        X509Certificate cert = TestPki.shared().issueCodeSigning(pair.getPublic(), "Dev Key");
        String key = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        SystemCredentialsProvider credentials = SystemCredentialsProvider.getInstance();
        credentials.getCredentials().add(new CertificateCredentialsImpl(CredentialsScope.GLOBAL, "dev-keystore",
                "development key", "s3cret-pw", new CertificateCredentialsImpl.PEMEntryKeyStoreSource(
                        TestPki.toPem(cert), key)));
        credentials.save();
        Pkcs12KeySourceConfig.DescriptorImpl descriptor =
                j.jenkins.getDescriptorByType(Pkcs12KeySourceConfig.DescriptorImpl.class);

        FormValidation ok = descriptor.doTestConnection("dev-keystore", "");
        assertEquals(ok.getMessage(), FormValidation.Kind.OK, ok.kind);
        assertThat(ok.getMessage(), containsString("Opened PKCS#12 keystore of credential &#039;dev-keystore&#039;"));
        assertThat(ok.getMessage(), containsString("CN=Dev Key"));
        assertThat(ok.getMessage(), not(containsString("s3cret-pw")));

        FormValidation wrongAlias = descriptor.doTestConnection("dev-keystore", "other");
        assertEquals(FormValidation.Kind.ERROR, wrongAlias.kind);
        assertThat(wrongAlias.getMessage(), containsString("no key with alias"));

        assertEquals(FormValidation.Kind.ERROR, descriptor.doTestConnection("missing", null).kind);
    }
}

package io.jenkins.plugins.hsmsigning.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;

import io.jenkins.plugins.hsmsigning.TestProfiles;
import java.util.List;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTextArea;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

public class ProfileConfigPageTest {

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void certificatesAreDescribedBySubjectAndExpiry() throws Exception {
        TestProfiles.useTestKey();
        SigningProfile.DescriptorImpl descriptor = j.jenkins.getDescriptorByType(SigningProfile.DescriptorImpl.class);
        SigningProfile profile = HsmSigningConfiguration.get().getProfile(TestProfiles.PROFILE);
        List<String> chain = descriptor.describeCertificates(profile.getCertificateChain());
        assertEquals(2, chain.size());
        assertThat(chain.get(0), containsString("CN=" + TestProfiles.SIGNER + ","));
        assertThat(chain.get(0), containsString(" — valid until "));
        assertEquals(List.of("None"), descriptor.describeCertificates(null));
        assertThat(descriptor.describeCertificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")
                .get(0), containsString("certificates"));
        assertEquals("jar — embedded JAR signature", descriptor.formatLabel("jar"));
    }

    /**
     * The System page itself. Under the private javac-built Jenkins used for development here, the page fails
     * before our form ({@code repeatableProperty.jelly: No page found 'config.jelly' for class hudson.model.Hudson});
     * it is meant for the real test harness.
     */
    @Test
    public void certificatesAreListedBySubjectAndExpiryWithThePemCollapsed() throws Exception {
        TestProfiles.useTestKey();
        HtmlPage page = j.createWebClient().goTo("configure");

        List<HtmlElement> items = page.getByXPath("//ul[@class='hsm-signing-certificate-list']/li");
        assertThat(items.get(0).getTextContent(), containsString("CN=" + TestProfiles.SIGNER));
        assertThat(items.get(0).getTextContent(), containsString("valid until "));
        assertThat(page.getWebResponse().getContentAsString(), containsString("cms — detached CMS signature (.p7s)"));

        int pemAreas = 0;
        for (HtmlTextArea area : page.<HtmlTextArea>getByXPath("//textarea")) {
            if (area.getText().contains("BEGIN CERTIFICATE")) {
                pemAreas++;
                DomNode details = area.getParentNode();
                while (details != null && !"details".equals(details.getNodeName())) {
                    details = details.getParentNode();
                }
                assertNotNull("a PEM text area is inside a collapsed details element", details);
                assertFalse(((HtmlElement) details).hasAttribute("open"));
            }
        }
        assertEquals("certificate chain and trust anchors", 2, pemAreas);
        assertThat(page.asNormalizedText(), not(containsString("BEGIN CERTIFICATE")));
    }
}

package io.jenkins.plugins.hsmsigning.engine.timestamp;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.policy.RuleCheck;
import java.net.URI;
import java.util.List;
import org.junit.Test;

public class TsaAllowListTest {

    @Test
    public void hostsPortsAndDomains() throws Exception {
        TsaAllowList list = TsaAllowList.parse("timestamp.digicert.com, tsa.example.com:8080\n*.sectigo.com",
                "TSA allow-list");
        assertTrue(list.allows(URI.create("http://timestamp.digicert.com")));
        assertTrue(list.allows(URI.create("https://TIMESTAMP.digicert.com:443/path")));
        assertFalse("another port of an allowed host", list.allows(URI.create("http://timestamp.digicert.com:22")));
        assertTrue(list.allows(URI.create("http://tsa.example.com:8080/tsa")));
        assertFalse(list.allows(URI.create("http://tsa.example.com/tsa")));
        assertTrue(list.allows(URI.create("http://timestamp.sectigo.com")));
        assertFalse(list.allows(URI.create("http://sectigo.com.evil.example")));
        assertFalse(list.allows(URI.create("http://127.0.0.1:8080")));
    }

    @Test
    public void badEntriesAreNamed() {
        for (String bad : List.of("http://tsa.example.com", "tsa.example.com/path", "*", "a:x")) {
            SigningException e = assertThrows(SigningException.class, () -> TsaAllowList.parse(bad,
                    "TSA allow-list"));
            assertThat(e.getMessage(), containsString("of the TSA allow-list is not valid"));
        }
    }

    @Test
    public void aRequestedUrlMustBeTheProfilesOrOnAnAllowedHost() throws Exception {
        List<String> profile = List.of("http://tsa.internal:3180/rfc3161");
        RuleCheck none = TsaAllowList.none().check("release", profile, List.of("http://10.0.0.1:22/"));
        assertTrue(none.failed());
        assertThat(none.reason(), containsString("'http://10.0.0.1:22/' is neither one of the signing profile"
                + " 'release'"));
        assertFalse(TsaAllowList.none().check("release", profile, profile).failed());
        assertFalse(TsaAllowList.none().check("release", profile, List.of()).failed());

        TsaAllowList digicert = TsaAllowList.parse("timestamp.digicert.com", "TSA allow-list");
        RuleCheck allowed = digicert.check("release", profile, List.of("http://timestamp.digicert.com"));
        assertEquals(RuleCheck.Verdict.PASSED, allowed.verdict());
        assertEquals("timestamp.digicert.com", allowed.values().get("allowedHosts"));
    }
}

package io.jenkins.plugins.hsmsigning.engine.policy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class RepositoryUrlTest {

    @Test
    public void schemeUserGitSuffixSlashAndHostCaseDoNotMatter() {
        for (String url : new String[] {"https://github.com/acme/app", "https://bob:secret@GitHub.com/acme/app.git/",
                "ssh://git@github.com/acme/app.git", "git@github.com:acme/app.git", "git://github.com:9418/acme/app",
                "https://github.com:443/acme//app/", "http://github.com/acme/app"}) {
            assertEquals(url, "github.com/acme/app", RepositoryUrl.normalise(url));
        }
    }

    @Test
    public void pathCaseAndOtherPortsMatter() {
        assertEquals("github.com/Acme/App", RepositoryUrl.normalise("https://github.com/Acme/App.git"));
        assertEquals("git.example.com:8443/acme/app", RepositoryUrl.normalise("https://git.example.com:8443/acme/app"));
    }

    @Test
    public void localPathsAndNonsenseNameNoRepository() {
        assertNull(RepositoryUrl.normalise("/srv/git/app.git"));
        assertNull(RepositoryUrl.normalise("file:///srv/git/app.git"));
        assertNull(RepositoryUrl.normalise("https://github.com/"));
        assertNull(RepositoryUrl.normalise(" "));
        assertNull(RepositoryUrl.normalise(null));
    }

    @Test
    public void patternsAreNormalisedLikeTheUrls() {
        RepositoryPattern acme = RepositoryPattern.parse("https://GitHub.com/acme/*.git");
        assertTrue(acme.matches("git@github.com:acme/app.git"));
        assertTrue(acme.matches("https://github.com/acme/lib/"));
        assertFalse(acme.matches("https://github.com/acme/group/app"));
        assertFalse(acme.matches("https://github.com/acmecorp/app"));
        assertFalse("user info cannot smuggle a host", acme.matches("https://github.com@evil.example/acme/app"));

        RepositoryPattern deep = RepositoryPattern.parse("gitlab.example.com/acme/**");
        assertTrue(deep.matches("https://gitlab.example.com/acme/group/sub/app.git"));
        assertFalse(deep.matches("https://gitlab.example.com.evil.example/acme/app"));
        assertNull(RepositoryPattern.parse("/srv/git/app"));
    }

    @Test
    public void tokensInUrlsNeverReachTheRecord() {
        assertEquals("https://github.com/acme/app.git",
                RepositoryUrl.redact("https://x-token:ghp_secret@github.com/acme/app.git"));
        assertEquals("git@github.com:acme/app.git", RepositoryUrl.redact("git@github.com:acme/app.git"));
        RunOrigin origin = new RunOrigin(null, null, null, java.util.List.of("https://bob:hunter2@git.example/a"),
                null, null, null);
        assertEquals(java.util.List.of("https://git.example/a"), origin.repositories());
    }
}

package io.jenkins.plugins.hsmsigning.engine.profile;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/** Requested formats are normalised once, and that one result drives both the policy and the signer. */
public class RequestedSettingsTest {

    @Test
    public void aBlankFormatIsAnErrorNamingTheField() {
        for (List<String> blank : List.of(List.of(""), List.of(" "), Arrays.asList("cms", null))) {
            SigningException e = assertThrows(SigningException.class,
                    () -> RequestedSettings.of(List.of("cms"), null, blank, null, "formats"));
            assertEquals(SigningException.Kind.CONFIGURATION, e.kind());
            assertThat(e.getMessage(), containsString("A blank entry in formats: name each format"));
        }
        SigningException unknown = assertThrows(SigningException.class,
                () -> RequestedSettings.of(List.of("cms"), null, List.of("zip"), null, "formats"));
        assertThat(unknown.getMessage(), containsString("The entry 'zip' in formats is no format"));
        SigningException mixed = assertThrows(SigningException.class,
                () -> RequestedSettings.of(List.of(), null, List.of("auto", "cms"), null, "formats"));
        assertThat(mixed.getMessage(), containsString("'auto' is combined with other entries in formats"));
    }

    @Test
    public void autoAgainstALockedProfileIsAChangeAndIsRefused() throws Exception {
        RequestedSettings auto = RequestedSettings.of(List.of("cms"), null, List.of("auto"), null, "formats");
        assertTrue(auto.overridesFormats());
        assertTrue(auto.formats().isEmpty());
        UsagePolicy locked = new UsagePolicy(List.of(), List.of(), true, false);
        assertFalse(locked.check(new UsagePolicy.Request("release", "app", null, auto.overridesFormats(),
                auto.overridesTsa())).allowed());
    }

    @Test
    public void thePolicyAndTheSignerSeeTheSameFormats() throws Exception {
        RequestedSettings same = RequestedSettings.of(List.of("cms", "pgp"), "http://tsa.example", List.of("PGP",
                "p7s"), null, "formats");
        assertFalse(same.overridesFormats());
        SigningOptions options = ProfileSettings.options(same, "SHA-256", false);
        assertEquals(Set.of(Format.CMS, Format.PGP), options.formats());
        assertEquals(same.formats(), options.formats());
        assertEquals("http://tsa.example", options.timestamps().urls().get(0).toString());

        RequestedSettings profiles = RequestedSettings.of(List.of("jar"), null, List.of(), null, "formats");
        assertFalse(profiles.overridesFormats());
        assertEquals(Set.of(Format.JAR), ProfileSettings.options(profiles, null, false).formats());
    }

    @Test
    public void requestedAuthoritiesReplaceTheProfilesAndCountAsAChange() throws Exception {
        RequestedSettings none = RequestedSettings.of(List.of(), "http://a.example", null, "", "formats");
        assertTrue(none.overridesTsa());
        assertTrue(none.tsaUrls().isEmpty());
        RequestedSettings other = RequestedSettings.of(List.of(), "http://a.example", null, "http://b.example",
                "formats");
        assertEquals(List.of("http://b.example"), other.tsaUrls());
        assertTrue(other.overridesTsa());
        assertFalse(RequestedSettings.of(List.of(), "http://a.example", null, null, "formats").overridesTsa());
    }
}

package io.jenkins.plugins.hsmsigning.engine.profile;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.Test;

public class ProfileSettingsTest {

    @Test
    public void authenticodeProgramComesFromTheBuildElseTheProfileAndItsUrlMustBeHttp() throws Exception {
        SigningOptions fromBuild = ProfileSettings.program(SigningOptions.defaults(), " Build app ", "Profile app",
                "https://build.example/", "https://profile.example/", "programUrl");
        assertEquals("Build app", fromBuild.programName());
        assertEquals("https://build.example/", fromBuild.programUrl());

        SigningOptions fromProfile = ProfileSettings.program(SigningOptions.defaults(), "  ", "Profile app", null,
                "https://profile.example/", "programUrl");
        assertEquals("Profile app", fromProfile.programName());
        assertEquals("https://profile.example/", fromProfile.programUrl());

        SigningOptions none = ProfileSettings.program(SigningOptions.defaults(), null, null, "", null, "programUrl");
        assertNull(none.programName());
        assertNull(none.programUrl());

        for (String bad : List.of("file:///etc/passwd", "javascript:alert(1)", "not a url", "https://")) {
            SigningException e = assertThrows(SigningException.class, () -> ProfileSettings.program(
                    SigningOptions.defaults(), null, null, bad, null, "programUrl"));
            assertThat(e.getMessage(), containsString("The programUrl '" + bad + "' must be an http or https URL."));
        }
    }

    @Test
    public void aRunSignsAsManyArtifactsAtOnceAsTheTokenTakesAndAtLeastTwo() {
        assertEquals(2, ProfileSettings.signingThreads(1));
        assertEquals(4, ProfileSettings.signingThreads(4));
        assertEquals(16, ProfileSettings.signingThreads(16));
    }

    @Test
    public void profileIdsAreCheckedAndUnique() throws Exception {
        ProfileSettings.checkId("release");
        ProfileSettings.checkId("team-a_1.0");
        for (String bad : Arrays.asList(null, "", "-x", "has space", "a/b", "x".repeat(65))) {
            SigningException e = assertThrows(SigningException.class, () -> ProfileSettings.checkId(bad));
            assertEquals(SigningException.Kind.CONFIGURATION, e.kind());
            assertThat(e.getMessage(), containsString("is not valid"));
        }
        ProfileSettings.checkUniqueIds(List.of("a", "b"));
        assertThat(assertThrows(SigningException.class, () -> ProfileSettings.checkUniqueIds(List.of("a", "b", "a")))
                .getMessage(), containsString("'a' is used twice"));
    }

    @Test
    public void formatsAreKeptInOneOrderWhateverOrderTheyAreGivenIn() throws Exception {
        List<String> fromJcasc = ProfileSettings.canonicalFormats(List.of("authenticode", "cms"));
        List<String> fromForm = ProfileSettings.canonicalFormats(List.of("cms", "authenticode"));
        assertEquals(List.of("cms", "authenticode"), fromJcasc);
        assertEquals(fromJcasc, fromForm);
        assertEquals(List.of("cms", "pgp", "jar"), ProfileSettings.canonicalFormats(List.of("JAR", "asc", " cms",
                "p7s")));
        assertEquals(List.of(), ProfileSettings.canonicalFormats(List.of("auto")));
        assertEquals(List.of(), ProfileSettings.canonicalFormats(null));
        List<String> withUnknown = ProfileSettings.canonicalFormats(Arrays.asList("zip", "pgp", "auto"));
        assertEquals(List.of("pgp", "zip", "auto"), withUnknown);
        assertThrows(SigningException.class, () -> ProfileSettings.formats(withUnknown));
        assertEquals("cms — detached CMS signature (.p7s)", ProfileSettings.formatLabel("cms"));
        assertEquals("zip", ProfileSettings.formatLabel("zip"));
    }

    @Test
    public void formatsDigestsAndTimestamps() throws Exception {
        assertEquals(List.of("cms", "pgp", "authenticode", "jar"), ProfileSettings.formatIds());
        assertTrue(ProfileSettings.formats(null).isEmpty());
        assertTrue(ProfileSettings.formats(List.of("auto")).isEmpty());
        assertThat(assertThrows(SigningException.class, () -> ProfileSettings.formats(Arrays.asList("cms", " ")))
                .getMessage(), containsString("A blank entry in formats"));
        assertEquals(Set.of(Format.CMS, Format.PGP), ProfileSettings.formats(List.of(" CMS", "asc")));
        assertThrows(SigningException.class, () -> ProfileSettings.formats(List.of("zip")));

        assertEquals(DigestAlgorithm.SHA256, ProfileSettings.digest(" "));
        assertEquals(DigestAlgorithm.SHA384, ProfileSettings.digest("SHA-384"));

        assertEquals(List.of("http://a.example/tsa", "https://b.example"),
                ProfileSettings.urls("http://a.example/tsa\n\n  https://b.example \n"));
        assertFalse(ProfileSettings.timestamps(null, false).enabled());
        SigningException e = assertThrows(SigningException.class, () -> ProfileSettings.timestamps(" ", true));
        assertThat(e.getMessage(), containsString("no time-stamp authority URL is set"));
    }

    @Test
    public void aRequestReplacesTheProfilesFormatsAndAuthorities() throws Exception {
        SigningOptions profile = ProfileSettings.options(List.of("cms"), "SHA-512", "http://profile.example", false,
                List.of(), null);
        assertEquals(Set.of(Format.CMS), profile.formats());
        assertEquals(DigestAlgorithm.SHA512, profile.digest());
        assertEquals("http://profile.example", profile.timestamps().urls().get(0).toString());

        SigningOptions request = ProfileSettings.options(List.of("cms"), null, "http://profile.example", false,
                List.of("pgp"), "");
        assertEquals(Set.of(Format.PGP), request.formats());
        assertFalse("an empty TSA list in a request means no timestamp", request.timestamps().enabled());
    }

    @Test
    public void overridesAreWhatDiffersFromTheProfile() throws Exception {
        assertFalse(ProfileSettings.overridesFormats(List.of("cms"), List.of()));
        assertFalse(ProfileSettings.overridesFormats(List.of("cms"), null));
        assertFalse(ProfileSettings.overridesFormats(List.of("cms", "pgp"), List.of("PGP", "p7s")));
        assertTrue(ProfileSettings.overridesFormats(List.of("cms"), List.of("cms", "pgp")));
        assertTrue(ProfileSettings.overridesFormats(List.of(), List.of("jar")));

        assertFalse(ProfileSettings.overridesTimestamps("http://a", null));
        assertFalse(ProfileSettings.overridesTimestamps("http://a\nhttp://b", "http://a http://b"));
        assertTrue(ProfileSettings.overridesTimestamps("http://a", "http://b"));
        assertTrue(ProfileSettings.overridesTimestamps("http://a", ""));
    }

    @Test
    public void patternsAndTheUsagePolicy() throws Exception {
        assertEquals(List.of(), ProfileSettings.patterns(null, "allowed jobs"));
        assertEquals(List.of("releases/**", "tools/signer"),
                ProfileSettings.patterns(" releases/** ,\n\n tools/signer\r\n", "allowed jobs"));
        for (String bad : List.of("/releases", "releases/", "a//b", "my job")) {
            SigningException e = assertThrows(SigningException.class,
                    () -> ProfileSettings.patterns(bad, "allowed branches"));
            assertThat(e.getMessage(), containsString("of the allowed branches is not valid"));
        }

        for (String bad : List.of("pr:PR-*", "tag:", "tag:/v1", "branch:my branch")) {
            SigningException e = assertThrows(SigningException.class,
                    () -> ProfileSettings.headPatterns(bad, "allowed branches"));
            assertThat(e.getMessage(), containsString("of the allowed branches is not valid"));
        }

        UsagePolicy policy = ProfileSettings.usagePolicy("releases/**", "main\ntag:v*", true, false);
        assertEquals(List.of("releases/**"), policy.allowedJobs());
        assertEquals(List.of("main", "tag:v*"), policy.allowedBranches());
        assertTrue(policy.formatsLocked());
        assertFalse(policy.timestampsLocked());
        assertTrue(policy.check(new UsagePolicy.Request("release", "releases/app/main",
                new UsagePolicy.Head("main", UsagePolicy.HeadKind.BRANCH), false, false)).allowed());
        assertFalse(policy.check(new UsagePolicy.Request("release", "sandbox/app", null, false, false)).allowed());
        assertTrue(ProfileSettings.usagePolicy(null, "  ", false, false).check(
                new UsagePolicy.Request("p", "anything", null, true, true)).allowed());
    }

    @Test
    public void certificatesSlotsAndLimits() throws Exception {
        assertTrue(ProfileSettings.certificates("  ", "trust anchors").isEmpty());
        String pem = TestPki.toPem(TestPki.shared().caCertificate());
        assertEquals(List.of(TestPki.shared().caCertificate()), ProfileSettings.certificates(pem, "trust anchors"));
        SigningException e = assertThrows(SigningException.class,
                () -> ProfileSettings.certificates("not a certificate", "trust anchors of signing profile 'x'"));
        assertThat(e.getMessage(), containsString("trust anchors of signing profile 'x'"));

        assertNull(ProfileSettings.slotId(" "));
        assertEquals(Long.valueOf(7), ProfileSettings.slotId(" 7 "));
        assertThrows(SigningException.class, () -> ProfileSettings.slotId("-1"));
        assertThrows(SigningException.class, () -> ProfileSettings.slotListIndex("one"));
        assertEquals(Integer.valueOf(0), ProfileSettings.slotListIndex("0"));

        ProfileSettings.checkTokenSelection("token", null, "");
        assertThat(assertThrows(SigningException.class, () -> ProfileSettings.checkTokenSelection("t", "1", null))
                .getMessage(), containsString("(2 are set)"));
        assertThat(assertThrows(SigningException.class, () -> ProfileSettings.checkTokenSelection(null, null, null))
                .getMessage(), containsString("(0 are set)"));

        ProfileSettings.checkMaxConcurrentOperations(1);
        ProfileSettings.checkMaxConcurrentOperations(ProfileSettings.MAX_CONCURRENT_OPERATIONS_LIMIT);
        assertThrows(SigningException.class, () -> ProfileSettings.checkMaxConcurrentOperations(0));
        assertThrows(SigningException.class, () -> ProfileSettings.checkMaxConcurrentOperations(65));
    }
}

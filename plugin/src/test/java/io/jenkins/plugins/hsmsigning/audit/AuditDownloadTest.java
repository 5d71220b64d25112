package io.jenkins.plugins.hsmsigning.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.audit.AuditLog;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import io.jenkins.plugins.hsmsigning.signing.AuditTrail;
import java.net.HttpURLConnection;
import java.net.URL;
import java.time.Instant;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.util.NameValuePair;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

public class AuditDownloadTest {

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void adminsDownloadTheFilteredSelectionAndOthersGet403() throws Exception {
        AuditLog log = AuditTrail.log();
        log.append(List.of(
                record("2026-11-30T12:00:00Z", "old.zip", "SIGNED"),
                record("2026-12-01T12:00:00Z", "app.zip", "SIGNED"),
                record("2026-12-02T12:00:00Z", "=evil.zip", "FAILED"),
                record("2026-12-03T12:00:00Z", "late.zip", "SIGNED")));
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("developer"));

        JenkinsRule.WebClient admin = j.createWebClient().login("admin");
        Page csv = download(admin, "csv", "2026-12-01", "2026-12-02", "");
        assertEquals(200, csv.getWebResponse().getStatusCode());
        assertThat(csv.getWebResponse().getContentType(), containsString("text/csv"));
        String text = csv.getWebResponse().getContentAsString();
        assertEquals(3, text.split("\r\n").length);
        assertThat(text, containsString("\"app.zip\""));
        assertThat(text, containsString("\"'=evil.zip\""));
        assertThat(text, not(containsString("old.zip")));
        assertThat(text, not(containsString("late.zip")));

        Page jsonl = download(admin, "jsonl", "", "", "FAILED");
        assertEquals(200, jsonl.getWebResponse().getStatusCode());
        List<String> lines = jsonl.getWebResponse().getContentAsString().lines().toList();
        assertEquals(1, lines.size());
        assertThat(lines.get(0), containsString("\"artifact\":\"=evil.zip\""));

        String page = admin.goTo("hsm-signing-audit/?from=2026-12-02&to=2026-12-03&result=SIGNED")
                .getWebResponse().getContentAsString();
        assertThat(page, containsString("late.zip"));
        assertThat(page, not(containsString("app.zip")));
        assertThat(page, not(containsString("evil.zip")));
        assertThat(page, containsString("action=\"download\""));

        JenkinsRule.WebClient developer = j.createWebClient().login("developer");
        assertEquals(HttpURLConnection.HTTP_FORBIDDEN, download(developer, "csv", "", "", "").getWebResponse()
                .getStatusCode());
        // Anonymous is sent to log in: no record either way.
        assertThat(download(j.createWebClient(), "jsonl", "", "", "").getWebResponse().getContentAsString(),
                not(containsString("team/app")));
    }

    private static Page download(JenkinsRule.WebClient wc, String format, String from, String to, String result)
            throws Exception {
        wc.setThrowExceptionOnFailingStatusCode(false);
        URL url = wc.createCrumbedUrl("hsm-signing-audit/download");
        WebRequest request = new WebRequest(url, HttpMethod.POST);
        request.setRequestParameters(List.of(new NameValuePair("format", format), new NameValuePair("from", from),
                new NameValuePair("to", to), new NameValuePair("result", result)));
        return wc.getPage(request);
    }

    private static AuditRecord record(String time, String artifact, String result) {
        return new AuditRecord(Instant.parse(time), "team/app", "1", "alice", "release", artifact, "cms", "00", "AB",
                result, null);
    }
}

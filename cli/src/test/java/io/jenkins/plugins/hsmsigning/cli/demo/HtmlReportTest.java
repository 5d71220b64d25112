package io.jenkins.plugins.hsmsigning.cli.demo;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;

import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.RunContext;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import java.util.Map;
import org.junit.Test;

public class HtmlReportTest {

    @Test
    public void escapesEverythingTakenFromTheReport() {
        SignatureReport report = new SignatureReport(RunContext.now("tester", Map.of()));
        report.add(ReportEntry.failure(ReportEntry.VERIFY, "<script>alert('x')</script>&.txt", "cms",
                Failure.MALFORMED, "a \"quoted\" <b>reason</b>", 3));

        String html = HtmlReport.render(report);

        assertThat(html, not(containsString("<script>")));
        assertThat(html, not(containsString("<b>")));
        assertThat(html, containsString("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;.txt"));
        assertThat(html, containsString("a &quot;quoted&quot; &lt;b&gt;reason&lt;/b&gt;"));
        assertThat(html, containsString("<tr class=\"FAILED\">"));
    }
}

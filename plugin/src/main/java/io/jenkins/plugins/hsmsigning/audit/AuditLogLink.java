package io.jenkins.plugins.hsmsigning.audit;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.profile.AuditQuery;
import io.jenkins.plugins.hsmsigning.engine.profile.AuditRecords;
import io.jenkins.plugins.hsmsigning.signing.AuditTrail;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditExport;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins » HSM signing audit log: the controller's signing audit log, newest first, filtered by profile,
 * job, date range and result ({@code ?profile=release&job=team/**&from=2026-12-01&to=2026-12-31&result=FAILED&page=2}),
 * a page at a time, and the whole selection as a JSON Lines or CSV download. Administrators only: the link is shown to
 * them, and the page itself checks the permission too ({@link StaplerProxy}).
 */
@Extension
public class AuditLogLink extends ManagementLink implements StaplerProxy {

    @Override
    public String getIconFileName() {
        return "symbol-ribbon";
    }

    @Override
    public String getDisplayName() {
        return Messages.AuditLogLink_DisplayName();
    }

    @Override
    public String getDescription() {
        return Messages.AuditLogLink_Description();
    }

    @Override
    public String getUrlName() {
        return "hsm-signing-audit";
    }

    @NonNull
    @Override
    public Permission getRequiredPermission() {
        return Jenkins.ADMINISTER;
    }

    @NonNull
    @Override
    public Category getCategory() {
        return Category.SECURITY;
    }

    /** Every request to the page goes through here first. */
    @Override
    public Object getTarget() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return this;
    }

    /** The page the request asks for (query parameters {@code profile}, {@code job}, {@code page}, {@code size}). */
    public AuditQuery.Page read(String profile, String job, String page, String size) throws IOException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return AuditQuery.parse(profile, job, page, size).read(AuditTrail.log());
    }

    /** The page a request asks for, its filters read from the request ({@code from}, {@code to}, {@code result} too). */
    public AuditQuery.Page read(StaplerRequest2 req) throws IOException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return query(req).read(AuditTrail.log());
    }

    /**
     * Downloads every record the filters select (at most {@value AuditExport#MAX_RECORDS}, the newest), oldest
     * first, as JSON Lines ({@code format=jsonl}) or CSV ({@code format=csv}). Administrators only.
     */
    @POST
    public void doDownload(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        AuditExport format = AuditExport.parse(req.getParameter("format"));
        if (format == null) {
            rsp.sendError(HttpServletResponse.SC_BAD_REQUEST, "format must be jsonl or csv");
            return;
        }
        List<AuditRecord> records = query(req).readAll(AuditTrail.log(), AuditExport.MAX_RECORDS);
        rsp.setContentType(format.contentType() + ";charset=UTF-8");
        rsp.setHeader("Content-Disposition", "attachment; filename=\"hsm-signing-audit." + format.extension() + "\"");
        try (Writer out = new OutputStreamWriter(rsp.getOutputStream(), StandardCharsets.UTF_8)) {
            format.write(records, out);
        }
    }

    private static AuditQuery query(StaplerRequest2 req) {
        return AuditQuery.parse(req.getParameter("profile"), req.getParameter("job"), req.getParameter("page"),
                req.getParameter("size"), req.getParameter("from"), req.getParameter("to"),
                req.getParameter("result"));
    }

    /** The results a record may have, for the filter's drop-down. */
    public List<String> getResults() {
        return AuditRecords.results();
    }

    /** The profile ids, for the filter's drop-down. */
    public List<String> getProfileIds() {
        return HsmSigningConfiguration.get().getProfiles().stream().map(SigningProfile::getId).toList();
    }

    public String getLogFile() {
        return AuditTrail.log().file().toString();
    }
}

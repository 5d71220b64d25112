package io.jenkins.plugins.hsmsigning.approval;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Api;
import hudson.model.Item;
import hudson.model.ManagementLink;
import hudson.model.Run;
import hudson.security.Permission;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.engine.approval.Approver;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRequest;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;
import org.springframework.security.access.AccessDeniedException;

/**
 * Manage Jenkins » Signing approvals ({@code /hsm-signing-approvals/}, and {@code api/json}): the pending signing
 * requests the viewer may approve, oldest first, each with a link to its build's approval page. Reachable by any
 * logged-in user with Overall/Read, since approvers need not administer Jenkins; each viewer sees only requests of
 * builds they can read and profiles that list them (and do not exclude them as starter, author or administrator).
 */
@Extension
@ExportedBean
public class PendingApprovalsLink extends ManagementLink implements StaplerProxy {

    public static final String URL_NAME = "hsm-signing-approvals";

    @Override
    public String getIconFileName() {
        return "symbol-people";
    }

    @Override
    public String getDisplayName() {
        return Messages.PendingApprovalsLink_DisplayName();
    }

    @Override
    public String getDescription() {
        return Messages.PendingApprovalsLink_Description();
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    @NonNull
    @Override
    public Permission getRequiredPermission() {
        return Jenkins.READ;
    }

    @NonNull
    @Override
    public Category getCategory() {
        return Category.SECURITY;
    }

    @Override
    public Object getTarget() {
        Jenkins.get().checkPermission(Jenkins.READ);
        return this;
    }

    /** The pending requests the current user may approve. */
    @Exported(name = "requests")
    public List<RequestView> getRequests() {
        Approver viewer = JenkinsIdentities.current();
        List<RequestView> views = new ArrayList<>();
        if (viewer.userId() == null) {
            return views;
        }
        for (Map.Entry<String, String> e : Approvals.pending().entrySet()) {
            Run<?, ?> run = readable(e.getValue());
            if (run == null) {
                continue;
            }
            ApprovalAction action = run.getAction(ApprovalAction.class);
            ApprovalRequest request = action == null ? null : action.get(e.getKey());
            if (request != null && request.state() == ApprovalState.PENDING && request.isApprover(viewer)) {
                views.add(new RequestView(run, request));
            }
        }
        views.sort(Comparator.comparing(v -> v.getRequest().requestedAt()));
        return views;
    }

    public Api getApi() {
        return new Api(this);
    }

    private static Run<?, ?> readable(String runId) {
        try {
            Run<?, ?> run = Run.fromExternalizableId(runId);
            return run != null && run.isBuilding() && run.getParent().hasPermission(Item.READ) ? run : null;
        } catch (IllegalArgumentException | AccessDeniedException e) {
            return null;
        }
    }
}

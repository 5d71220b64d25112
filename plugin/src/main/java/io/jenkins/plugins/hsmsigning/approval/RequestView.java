package io.jenkins.plugins.hsmsigning.approval;

import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalEvent;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRequest;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalSubject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/** One signing request as the REST API shows it (build page and pending-approvals page alike). */
@ExportedBean(defaultVisibility = 2)
public final class RequestView {

    private final Run<?, ?> run;
    private final ApprovalRequest request;

    RequestView(Run<?, ?> run, ApprovalRequest request) {
        this.run = run;
        this.request = request;
    }

    public ApprovalRequest getRequest() {
        return request;
    }

    @Exported
    public String getId() {
        return request.id();
    }

    @Exported
    public String getState() {
        return request.state().name();
    }

    @Exported
    public String getProfile() {
        return subject().profile();
    }

    @Exported
    public String getJob() {
        return subject().job();
    }

    @Exported
    public String getBuild() {
        return subject().build();
    }

    /** The approval page, relative to the root URL. */
    @Exported
    public String getUrl() {
        return run == null ? null : run.getUrl() + ApprovalAction.URL_NAME + "/";
    }

    @Exported
    public String getBranch() {
        return subject().branch();
    }

    @Exported
    public String getCommit() {
        return subject().commit();
    }

    @Exported
    public String getStartedBy() {
        return subject().startedBy();
    }

    @Exported
    public List<String> getChangeAuthors() {
        return List.copyOf(subject().changeAuthors());
    }

    @Exported
    public String getRequestedAt() {
        return request.requestedAt().toString();
    }

    @Exported
    public String getDeadline() {
        return request.deadline().toString();
    }

    @Exported
    public int getApprovalsRequired() {
        return request.rules().required();
    }

    @Exported
    public List<String> getApprovers() {
        return request.approvers();
    }

    /** Artifact path to SHA-256. */
    @Exported
    public Map<String, String> getArtifacts() {
        Map<String, String> artifacts = new LinkedHashMap<>();
        request.artifacts().forEach(a -> artifacts.put(a.path(), a.sha256()));
        return artifacts;
    }

    /** The history: event, time, user and comment of each step. */
    @Exported
    public List<Map<String, String>> getHistory() {
        return request.history().stream().map(RequestView::event).toList();
    }

    private static Map<String, String> event(ApprovalEvent e) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("event", e.type().auditResult());
        m.put("time", e.time().toString());
        if (e.user() != null) {
            m.put("user", e.user());
        }
        if (e.comment() != null) {
            m.put("comment", e.comment());
        }
        return m;
    }

    private ApprovalSubject subject() {
        return request.subject();
    }
}

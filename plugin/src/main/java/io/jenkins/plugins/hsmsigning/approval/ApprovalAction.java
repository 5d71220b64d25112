package io.jenkins.plugins.hsmsigning.approval;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Api;
import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalEvent;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRefusal;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRequest;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalState;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;
import org.kohsuke.stapler.verb.POST;

/**
 * The build's signing approval page ({@code …/signing-approval/}): what each request asks (profile, artifacts with
 * their SHA-256, job, branch, commit, starter), its history, and for listed approvers a form to approve or deny
 * with a comment ({@code POST approve} / {@code POST deny} with {@code id} and {@code comment}; anyone else gets
 * 403). Requests are kept in {@code build.xml} as the engine's JSON, so they survive restarts and upgrades.
 */
@ExportedBean
public class ApprovalAction implements RunAction2 {

    public static final String URL_NAME = "signing-approval";

    private static final Logger LOGGER = Logger.getLogger(ApprovalAction.class.getName());

    private static final Object ATTACH_LOCK = new Object();

    /** Each request as the engine's JSON, in the order they were made; replaced whole, never changed in place. */
    private volatile List<String> requests = new ArrayList<>();
    private transient Map<String, ApprovalRequest> loaded;
    private transient Run<?, ?> run;

    /** A change to one request; returns the new events. */
    @FunctionalInterface
    interface Change<E extends Exception> {
        List<ApprovalEvent> apply(ApprovalRequest request) throws E;
    }

    /** The build's action, added on first use. */
    static ApprovalAction of(Run<?, ?> run) throws IOException {
        synchronized (ATTACH_LOCK) {
            ApprovalAction action = run.getAction(ApprovalAction.class);
            if (action == null) {
                action = new ApprovalAction();
                run.addAction(action);
                run.save();
            }
            return action;
        }
    }

    synchronized void add(ApprovalRequest request) throws IOException {
        requests().put(request.id(), request);
        save();
    }

    @CheckForNull
    synchronized ApprovalRequest get(String id) {
        return id == null ? null : requests().get(id);
    }

    /** Applies a change and persists the build before anyone hears of it. */
    synchronized <E extends Exception> List<ApprovalEvent> update(String id, Change<E> change) throws E,
            IOException {
        ApprovalRequest request = get(id);
        if (request == null) {
            return List.of();
        }
        List<ApprovalEvent> events = change.apply(request);
        if (!events.isEmpty()) {
            save();
        }
        return events;
    }

    /** All requests of the build, oldest first. */
    public synchronized List<ApprovalRequest> getRequests() {
        return new ArrayList<>(requests().values());
    }

    /** For the REST API ({@code …/signing-approval/api/json}). */
    @Exported(name = "requests")
    public List<RequestView> getRequestViews() {
        return getRequests().stream().map(r -> new RequestView(run, r)).toList();
    }

    /** Whether the current user may approve or deny this request now, and if not, why (for the page). */
    public String whyNot(ApprovalRequest request) {
        return request.whyNot(JenkinsIdentities.current(), Approvals.now());
    }

    public boolean isPending(ApprovalRequest request) {
        return request.state() == ApprovalState.PENDING;
    }

    @POST
    public HttpResponse doApprove(@QueryParameter String id, @QueryParameter String comment) throws IOException,
            InterruptedException {
        return decide(id, true, comment);
    }

    @POST
    public HttpResponse doDeny(@QueryParameter String id, @QueryParameter String comment) throws IOException,
            InterruptedException {
        return decide(id, false, comment);
    }

    private HttpResponse decide(String id, boolean approve, String comment) throws IOException,
            InterruptedException {
        try {
            Approvals.decide(run, id, approve, comment);
        } catch (ApprovalRefusal e) {
            int status = switch (e.reason()) {
                case NOT_ELIGIBLE -> HttpURLConnection.HTTP_FORBIDDEN;
                case COMMENT_REQUIRED -> HttpURLConnection.HTTP_BAD_REQUEST;
                case NOT_PENDING, ALREADY_APPROVED -> HttpURLConnection.HTTP_CONFLICT;
            };
            return HttpResponses.errorWithoutStack(status, e.getMessage());
        }
        return HttpResponses.redirectTo(".");
    }

    public Api getApi() {
        return new Api(this);
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return requests.isEmpty() ? null : "symbol-people";
    }

    @Override
    public String getDisplayName() {
        return Messages.ApprovalAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
    }

    /** Builds saved without requests read null. */
    protected Object readResolve() {
        if (requests == null) {
            requests = new ArrayList<>();
        }
        return this;
    }

    private Map<String, ApprovalRequest> requests() {
        if (loaded == null) {
            loaded = new LinkedHashMap<>();
            for (String json : requests) {
                try {
                    ApprovalRequest r = ApprovalRequest.fromJson(json);
                    loaded.put(r.id(), r);
                } catch (IOException e) {
                    LOGGER.log(Level.WARNING, "Unreadable signing request in " + run, e);
                }
            }
        }
        return loaded;
    }

    private void save() throws IOException {
        List<String> json = new ArrayList<>();
        requests().values().forEach(r -> json.add(r.toJson()));
        requests = json;
        if (run != null) {
            run.save();
        }
    }
}

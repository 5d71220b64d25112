package io.jenkins.plugins.hsmsigning.signing;

import com.cloudbees.plugins.credentials.CredentialsParameterValue;
import hudson.PluginWrapper;
import hudson.model.Cause;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import hudson.model.PasswordParameterValue;
import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.engine.attest.BuildFacts;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy;
import java.time.Instant;
import jenkins.model.Jenkins;

/**
 * Gathers what Jenkins knows about a build into the engine's plain {@link BuildFacts}: builder and invocation URLs,
 * the job, its branch, tag or change request, the source revisions (through the Git plugin and the SCM API when they
 * are installed), parameters without secrets, causes, and versions. Nothing here decides what the provenance says.
 */
final class ProvenanceFacts {

    private ProvenanceFacts() {
    }

    static BuildFacts of(Run<?, ?> run, BuildIdentity build, String profile) {
        String root = Jenkins.get().getRootUrl();
        // Without a root URL (Manage Jenkins » System) there is no absolute address to name the builder by.
        String base = root == null ? "jenkins:/" : root;
        BuildFacts.Builder facts = BuildFacts.builder(base + run.getParent().getUrl())
                .invocationId(base + run.getUrl())
                .job(build.job())
                .head(head(build.head()))
                .signingProfile(profile)
                .version("jenkins", Jenkins.VERSION)
                .version("hsm-signing", pluginVersion())
                .startedOn(Instant.ofEpochMilli(run.getStartTimeInMillis()))
                .finishedOn(Instant.now());
        ScmRevisions.addTo(run, facts);
        addParameters(run, facts);
        for (Cause cause : run.getCauses()) {
            facts.cause(cause.getShortDescription());
        }
        return facts.build();
    }

    private static BuildFacts.Head head(UsagePolicy.Head head) {
        if (head == null) {
            return null;
        }
        String kind = switch (head.kind()) {
            case TAG -> BuildFacts.Head.TAG;
            case CHANGE_REQUEST -> BuildFacts.Head.CHANGE_REQUEST;
            default -> BuildFacts.Head.BRANCH;
        };
        return new BuildFacts.Head(kind, head.name());
    }

    /**
     * The values of the parameters the job defines, as text; passwords, other sensitive values and credentials
     * (even their ids) are left out, and so are values that are not plain text, numbers or booleans.
     */
    private static void addParameters(Run<?, ?> run, BuildFacts.Builder facts) {
        ParametersAction parameters = run.getAction(ParametersAction.class);
        if (parameters == null) {
            return;
        }
        for (ParameterValue parameter : parameters.getParameters()) {
            if (parameter == null || parameter.isSensitive() || parameter instanceof PasswordParameterValue
                    || parameter instanceof CredentialsParameterValue) {
                continue;
            }
            Object value = parameter.getValue();
            if (value instanceof String || value instanceof Boolean || value instanceof Number) {
                facts.parameter(parameter.getName(), String.valueOf(value));
            }
        }
    }

    private static String pluginVersion() {
        PluginWrapper plugin = Jenkins.get().getPluginManager().whichPlugin(ProvenanceFacts.class);
        return plugin == null ? null : plugin.getVersion();
    }
}

package io.jenkins.plugins.hsmsigning.origin;

import hudson.model.InvisibleAction;
import io.jenkins.plugins.hsmsigning.engine.policy.RunOrigin.Fact;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a Pipeline build's script came from, recorded on the build as it starts ({@link PipelineOriginRecorder}):
 * whether the job's definition read it from SCM, and from which repositories. Recorded at the start because the
 * job's definition may be changed while the build runs; the build keeps the one it started with.
 */
public final class ScriptOrigin extends InvisibleAction {

    private final Fact scriptFromScm;
    private final List<String> repositories;
    private final String definition;
    private final boolean checkedOutFirst;

    /**
     * @param definition      the class of the job's definition ("Pipeline script", "Pipeline script from SCM", a
     *                        multibranch project's), for the record
     * @param checkedOutFirst the definition checked the script out in full before the script ran, so the build's
     *                        first Git checkout record is the script's commit (not so for a lightweight checkout,
     *                        whose commit is not recorded)
     */
    ScriptOrigin(Fact scriptFromScm, List<String> repositories, String definition, boolean checkedOutFirst) {
        this.scriptFromScm = scriptFromScm;
        this.repositories = new ArrayList<>(repositories);
        this.definition = definition;
        this.checkedOutFirst = checkedOutFirst;
    }

    ScriptOrigin(Fact scriptFromScm, List<String> repositories, String definition) {
        this(scriptFromScm, repositories, definition, false);
    }

    public Fact getScriptFromScm() {
        return scriptFromScm == null ? Fact.UNKNOWN : scriptFromScm;
    }

    public List<String> getRepositories() {
        return repositories == null ? List.of() : List.copyOf(repositories);
    }

    public String getDefinition() {
        return definition;
    }

    public boolean isCheckedOutFirst() {
        return checkedOutFirst;
    }
}

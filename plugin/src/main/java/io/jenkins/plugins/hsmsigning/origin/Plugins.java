package io.jenkins.plugins.hsmsigning.origin;

import hudson.PluginWrapper;
import jenkins.model.Jenkins;

/**
 * Whether an optional plugin is active. Classes of an optional plugin are touched only after this says yes, so that
 * this plugin loads and refuses (rather than fails) without it.
 */
final class Plugins {

    static final String SCM_API = "scm-api";
    static final String WORKFLOW_JOB = "workflow-job";
    static final String WORKFLOW_CPS = "workflow-cps";
    static final String GIT = "git";

    private Plugins() {
    }

    static boolean active(String shortName) {
        PluginWrapper plugin = Jenkins.get().getPluginManager().getPlugin(shortName);
        return plugin != null && plugin.isActive();
    }
}

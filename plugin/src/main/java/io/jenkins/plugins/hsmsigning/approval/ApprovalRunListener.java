package io.jenkins.plugins.hsmsigning.approval;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;

/**
 * A build that ends (killed, crashed, or a freestyle build cut off by a restart) withdraws the signing requests it
 * still waited for, so that none stays pending, audited or listed, for a build that can no longer sign.
 */
@Extension
public class ApprovalRunListener extends RunListener<Run<?, ?>> {

    @Override
    public void onCompleted(Run<?, ?> run, @NonNull TaskListener listener) {
        Approvals.buildEnded(run);
    }
}

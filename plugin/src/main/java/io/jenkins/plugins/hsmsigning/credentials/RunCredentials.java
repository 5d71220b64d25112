package io.jenkins.plugins.hsmsigning.credentials;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.util.List;

/**
 * Finds the credentials a build signs with, as the build may see them: folder-scoped credentials and the job's
 * authorization apply. Every use is tracked on the build.
 */
public final class RunCredentials {

    private RunCredentials() {
    }

    /**
     * @param purpose what the credential is for, e.g. "the PIN of signing profile 'release'"
     * @param kind    the credential type as users see it, e.g. "Secret text"
     */
    @NonNull
    public static <C extends IdCredentials> C find(@NonNull Run<?, ?> run, String id, @NonNull Class<C> type,
            @NonNull String purpose, @NonNull String kind) throws SigningException {
        if (id == null || id.isBlank()) {
            throw new SigningException(Kind.CONFIGURATION, "No credential is set for " + purpose + ".");
        }
        C credential = CredentialsProvider.findCredentialById(id, type, run, List.<DomainRequirement>of());
        if (credential == null) {
            throw new SigningException(Kind.CONFIGURATION, "The credential '" + id + "' (" + purpose
                    + ") was not found or is not allowed for " + run.getParent().getFullName() + ": it must be a "
                    + kind + " credential that this job may use, defined globally or in one of its folders.");
        }
        CredentialsProvider.track(run, credential);
        return credential;
    }
}

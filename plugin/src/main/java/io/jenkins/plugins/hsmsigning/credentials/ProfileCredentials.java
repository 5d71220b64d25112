package io.jenkins.plugins.hsmsigning.credentials;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import hudson.security.ACL;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * Finds a signing profile's PIN or keystore credential where the administrator who defined the profile meant it:
 * the global credential store (Manage Jenkins » Credentials, scopes Global and System). A profile is global
 * configuration, so its secret is too. Deliberately not {@code CredentialsProvider.findCredentialById(id, type,
 * run)}: that resolves a build's credentials parameter of the same name first, and the credentials of the job's
 * folders and of the user who started the build, so a job could make the profile send another secret to the token
 * (a wrong PIN sent repeatedly locks a real token). Which job may use the profile is the profile's policy, checked
 * before this. Every use is tracked on the build.
 */
public final class ProfileCredentials {

    private ProfileCredentials() {
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
        C credential = CredentialsMatchers.firstOrNull(CredentialsProvider.lookupCredentialsInItemGroup(type,
                Jenkins.get(), ACL.SYSTEM2, List.<DomainRequirement>of()), CredentialsMatchers.withId(id.trim()));
        if (credential == null) {
            throw new SigningException(Kind.CONFIGURATION, "The credential '" + id + "' (" + purpose
                    + ") was not found: it must be a " + kind + " credential in the global credential store"
                    + " (credentials of folders, users and build parameters are not used for signing profiles).");
        }
        CredentialsProvider.track(run, credential);
        return credential;
    }
}

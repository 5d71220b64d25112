package io.jenkins.plugins.hsmsigning.keyservice;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import hudson.security.ACL;
import io.jenkins.plugins.hsmsigning.credentials.ProfileCredentials;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * Finds a key service's credentials in the global store, where the profile's administrator defined them: for a
 * signing build (tracked on it, {@link ProfileCredentials}), or for Test connection.
 */
interface CredentialLookup {

    /** Null only when {@code id} is blank and the credential is optional. */
    @CheckForNull
    <C extends IdCredentials> C find(String id, @NonNull Class<C> type, @NonNull String purpose,
            @NonNull String kind, boolean optional) throws SigningException;

    static CredentialLookup forRun(Run<?, ?> run) {
        return new CredentialLookup() {
            @Override
            public <C extends IdCredentials> C find(String id, Class<C> type, String purpose, String kind,
                    boolean optional) throws SigningException {
                return optional && (id == null || id.isBlank()) ? null
                        : ProfileCredentials.find(run, id, type, purpose, kind);
            }
        };
    }

    static CredentialLookup global() {
        return new CredentialLookup() {
            @Override
            public <C extends IdCredentials> C find(String id, Class<C> type, String purpose, String kind,
                    boolean optional) throws SigningException {
                if (id == null || id.isBlank()) {
                    if (optional) {
                        return null;
                    }
                    throw new SigningException(Kind.CONFIGURATION, "No credential is set for " + purpose + ".");
                }
                C credential = CredentialsMatchers.firstOrNull(CredentialsProvider.lookupCredentialsInItemGroup(type,
                        Jenkins.get(), ACL.SYSTEM2, List.<DomainRequirement>of()), CredentialsMatchers.withId(id.trim()));
                if (credential == null) {
                    throw new SigningException(Kind.CONFIGURATION, "The test needs a global " + kind
                            + " credential with the id '" + id + "' (" + purpose + ").");
                }
                return credential;
            }
        };
    }
}

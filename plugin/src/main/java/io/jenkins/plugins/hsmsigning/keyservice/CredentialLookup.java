package io.jenkins.plugins.hsmsigning.keyservice;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import hudson.security.ACL;
import io.jenkins.plugins.hsmsigning.credentials.RunCredentials;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * Finds a key service's credentials: as the signing build may see them (tracked), or, for Test connection, in the
 * global store only.
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
                        : RunCredentials.find(run, id, type, purpose, kind);
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
                C credential = CredentialsProvider.findCredentialByIdInItemGroup(id, type, Jenkins.get(), ACL.SYSTEM2,
                        List.<DomainRequirement>of());
                if (credential == null) {
                    throw new SigningException(Kind.CONFIGURATION, "The test needs a global " + kind
                            + " credential with the id '" + id + "' (" + purpose + ").");
                }
                return credential;
            }
        };
    }
}

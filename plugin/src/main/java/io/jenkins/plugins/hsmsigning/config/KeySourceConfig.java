package io.jenkins.plugins.hsmsigning.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Where a profile's key lives. It holds no secret, only the id of the credential with the PIN or password, which is
 * looked up for the build that signs.
 */
public abstract class KeySourceConfig extends AbstractDescribableImpl<KeySourceConfig> implements ExtensionPoint {

    /**
     * Looks up the credential as {@code run} may see it, tracks it, and opens the key; the caller closes it.
     *
     * @param extraChain              issuer certificates from the profile, appended to the key's own
     * @param maxConcurrentOperations signature operations allowed at once on the key
     */
    @NonNull
    public abstract SigningKey open(@NonNull Run<?, ?> run, @NonNull String profileId,
            @NonNull List<X509Certificate> extraChain, int maxConcurrentOperations) throws SigningException;

    /** The descriptor type of every key source. */
    public abstract static class KeySourceDescriptor extends Descriptor<KeySourceConfig> {
    }
}

package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A key in a network key service. The certificate chain comes from the service where it holds one, else from the
 * profile; issuers given in the profile complete a chain the service holds only the leaf of.
 */
public final class RemoteKeySource implements KeySource {

    /** Digests signed at once per key unless configured: enough to hide a service's latency in a batch. */
    public static final int DEFAULT_MAX_CONCURRENT_OPERATIONS = 8;

    private final RemoteKeyService service;
    private final List<X509Certificate> profileChain;
    private final int maxConcurrentOperations;

    private RemoteKeySource(RemoteKeyService service, List<X509Certificate> profileChain, int maxConcurrentOperations) {
        this.service = service;
        this.profileChain = profileChain;
        this.maxConcurrentOperations = maxConcurrentOperations;
    }

    public static RemoteKeySource of(RemoteKeyService service) {
        return new RemoteKeySource(service, List.of(), DEFAULT_MAX_CONCURRENT_OPERATIONS);
    }

    /** The signing certificate and its issuers (leaf first), or only issuers when the service holds the leaf. */
    public RemoteKeySource certificateChain(List<X509Certificate> chain) {
        return new RemoteKeySource(service, List.copyOf(chain), maxConcurrentOperations);
    }

    public RemoteKeySource maxConcurrentOperations(int operations) {
        return new RemoteKeySource(service, profileChain, Math.max(1, operations));
    }

    @Override
    public SigningKey open(Secret secret) throws SigningException {
        RemoteKeyService.Session session = service.open(secret);
        try {
            SigningKey key = new RemoteSigningKey(session, chain(session.certificateChain()), service.describe(),
                    maxConcurrentOperations);
            CertificateChecks.checkUsable(key, service.describe());
            return key;
        } catch (SigningException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private List<X509Certificate> chain(List<X509Certificate> fromService) throws SigningException {
        if (fromService.isEmpty()) {
            if (profileChain.isEmpty()) {
                throw new SigningException(Kind.CONFIGURATION, service.describe() + " holds no certificate: give the "
                        + "signing certificate and its issuers in the certificate chain setting.");
            }
            return profileChain;
        }
        List<X509Certificate> chain = new ArrayList<>(fromService);
        for (X509Certificate issuer : profileChain) {
            if (!chain.contains(issuer)) {
                chain.add(issuer);
            }
        }
        return chain;
    }

    @Override
    public String describe() {
        return service.describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}

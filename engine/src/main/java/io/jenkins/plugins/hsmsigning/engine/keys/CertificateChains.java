package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads certificate bundles and orders a leaf and its issuers into a chain. */
public final class CertificateChains {

    private static final int MAX_CHAIN_LENGTH = 10;

    private CertificateChains() {
    }

    /** Reads PEM (one or more certificates), DER, or a PKCS#7 bundle. */
    public static List<X509Certificate> read(byte[] bundle, String name) throws SigningException {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : cf.generateCertificates(new ByteArrayInputStream(bundle))) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) {
                throw new CertificateException("no certificate found");
            }
            return certs;
        } catch (CertificateException e) {
            throw new SigningException(Kind.CONFIGURATION, "The certificate bundle " + name
                    + " cannot be read: it must hold PEM or DER certificates or a PKCS#7 bundle.", e);
        }
    }

    public static List<X509Certificate> read(Path file) throws SigningException {
        try {
            return read(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new SigningException(Kind.CONFIGURATION, "The certificate file " + file + " cannot be read.", e);
        }
    }

    /** Parses PEM text as the plugin stores it. */
    public static List<X509Certificate> readPem(String pem, String name) throws SigningException {
        return read(pem.getBytes(StandardCharsets.US_ASCII), name);
    }

    /**
     * Puts the leaf first and follows issuers through both lists. A bundle whose own leaf differs from the key's
     * certificate is refused, because it belongs to another key.
     */
    public static List<X509Certificate> assemble(List<X509Certificate> fromKey, List<X509Certificate> bundle)
            throws SigningException {
        X509Certificate leaf = fromKey.get(0);
        for (X509Certificate c : bundle) {
            if (c.getBasicConstraints() < 0 && !c.equals(leaf)) {
                throw new SigningException(Kind.KEY, "The certificate chain setting holds the end-entity certificate "
                        + c.getSubjectX500Principal().getName() + ", which is not the key's certificate "
                        + leaf.getSubjectX500Principal().getName() + ": the chain belongs to another key.");
            }
        }
        Set<X509Certificate> pool = new LinkedHashSet<>(fromKey.subList(1, fromKey.size()));
        pool.addAll(bundle);
        pool.remove(leaf);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        X509Certificate current = leaf;
        while (!isSelfIssued(current) && chain.size() < MAX_CHAIN_LENGTH) {
            X509Certificate issuer = findIssuer(current, pool);
            if (issuer == null) {
                break;
            }
            chain.add(issuer);
            pool.remove(issuer);
            current = issuer;
        }
        return chain;
    }

    private static X509Certificate findIssuer(X509Certificate cert, Set<X509Certificate> pool) {
        for (X509Certificate candidate : pool) {
            if (candidate.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && signs(candidate, cert)) {
                return candidate;
            }
        }
        return null;
    }

    static boolean signs(X509Certificate issuer, X509Certificate cert) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static boolean isSelfIssued(X509Certificate cert) {
        return cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
    }
}

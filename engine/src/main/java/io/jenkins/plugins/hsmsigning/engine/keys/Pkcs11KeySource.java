package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A key on a PKCS#11 token, used in-process through SunPKCS11 configured at run time. The token is chosen by label,
 * slot id or slot list index; the key by alias (its certificate's CKA_LABEL). Immutable; {@code with}-style setters
 * return a copy.
 */
public final class Pkcs11KeySource implements KeySource {

    /** Operations allowed at once on one token unless a profile asks for fewer. */
    public static final int DEFAULT_MAX_CONCURRENT_OPERATIONS = 4;

    private final Path library;
    private final String tokenLabel;
    private final Long slotId;
    private final Integer slotListIndex;
    private final String keyAlias;
    private final List<X509Certificate> certificateChain;
    private final int maxConcurrentOperations;

    private Pkcs11KeySource(Path library, String tokenLabel, Long slotId, Integer slotListIndex, String keyAlias,
            List<X509Certificate> certificateChain, int maxConcurrentOperations) {
        this.library = library;
        this.tokenLabel = tokenLabel;
        this.slotId = slotId;
        this.slotListIndex = slotListIndex;
        this.keyAlias = keyAlias;
        this.certificateChain = certificateChain;
        this.maxConcurrentOperations = maxConcurrentOperations;
    }

    public static Pkcs11KeySource library(Path library) {
        return new Pkcs11KeySource(library, null, null, null, null, List.of(), DEFAULT_MAX_CONCURRENT_OPERATIONS);
    }

    public Pkcs11KeySource tokenLabel(String label) {
        return new Pkcs11KeySource(library, blankToNull(label), slotId, slotListIndex, keyAlias, certificateChain,
                maxConcurrentOperations);
    }

    public Pkcs11KeySource slotId(Long slot) {
        return new Pkcs11KeySource(library, tokenLabel, slot, slotListIndex, keyAlias, certificateChain,
                maxConcurrentOperations);
    }

    public Pkcs11KeySource slotListIndex(Integer index) {
        return new Pkcs11KeySource(library, tokenLabel, slotId, index, keyAlias, certificateChain,
                maxConcurrentOperations);
    }

    public Pkcs11KeySource keyAlias(String alias) {
        return new Pkcs11KeySource(library, tokenLabel, slotId, slotListIndex, blankToNull(alias), certificateChain,
                maxConcurrentOperations);
    }

    /** Issuer certificates (and optionally the leaf) for a token that holds only the leaf certificate. */
    public Pkcs11KeySource certificateChain(List<X509Certificate> chain) {
        return new Pkcs11KeySource(library, tokenLabel, slotId, slotListIndex, keyAlias, List.copyOf(chain),
                maxConcurrentOperations);
    }

    public Pkcs11KeySource maxConcurrentOperations(int max) {
        return new Pkcs11KeySource(library, tokenLabel, slotId, slotListIndex, keyAlias, certificateChain, max);
    }

    @Override
    public SigningKey open(Secret pin) throws SigningException {
        Providers.prepareInBackground();
        validate();
        if (pin.isEmpty()) {
            throw new SigningException(Kind.CONFIGURATION, "No PIN was given for " + describe() + ".");
        }
        long slot = Pkcs11Slots.resolve(library, tokenLabel, slotId, slotListIndex);
        String tokenName = tokenName(slot);
        Pkcs11Token token = Pkcs11Token.acquire(library, slot, tokenName, maxConcurrentOperations);
        Secret ownPin = Secret.of(pin.chars());
        boolean opened = false;
        try {
            token.login(ownPin);
            PrivateKey key = token.privateKey(keyAlias);
            List<X509Certificate> chain = CertificateChains.assemble(token.certificateChain(keyAlias), certificateChain);
            String description = tokenName + ", key '" + keyAlias + "'";
            TokenSigningKey signingKey = new TokenSigningKey(token, keyAlias, ownPin, key, chain, description);
            CertificateChecks.checkUsable(signingKey, description);
            opened = true;
            return signingKey;
        } finally {
            if (!opened) {
                ownPin.close();
                token.release();
            }
        }
    }

    /**
     * The keys on the token with their certificates, for a "test connection" button. Logs in like {@link #open}, so a
     * wrong PIN fails the same way; the key alias setting is not needed.
     */
    public List<TokenKey> listKeys(Secret pin) throws SigningException {
        validateToken();
        long slot = Pkcs11Slots.resolve(library, tokenLabel, slotId, slotListIndex);
        Pkcs11Token token = Pkcs11Token.acquire(library, slot, tokenName(slot), maxConcurrentOperations);
        try {
            token.login(pin);
            List<TokenKey> keys = new java.util.ArrayList<>();
            for (String alias : token.keyAliases()) {
                keys.add(new TokenKey(alias, token.certificateChain(alias).get(0)));
            }
            return keys;
        } finally {
            token.release();
        }
    }

    private void validate() throws SigningException {
        validateToken();
        if (keyAlias == null) {
            throw new SigningException(Kind.CONFIGURATION, "No key alias is set for the token of " + library + ".");
        }
    }

    private void validateToken() throws SigningException {
        if (library == null) {
            throw new SigningException(Kind.CONFIGURATION, "No PKCS#11 library is set.");
        }
        SharedLibraries.check(library);
        int selectors = (tokenLabel != null ? 1 : 0) + (slotId != null ? 1 : 0) + (slotListIndex != null ? 1 : 0);
        if (selectors != 1) {
            throw new SigningException(Kind.CONFIGURATION, "Choose the token of " + library
                    + " by exactly one of token label, slot id or slot list index (" + selectors + " are set).");
        }
    }

    private String tokenName(long slot) {
        return "PKCS#11 token " + (tokenLabel != null ? "'" + tokenLabel + "' " : "") + "(library " + library
                + ", slot " + slot + ")";
    }

    @Override
    public String describe() {
        String token = tokenLabel != null ? "token '" + tokenLabel + "'"
                : slotId != null ? "slot " + slotId : "slot list index " + slotListIndex;
        return "PKCS#11 " + token + " of " + library + ", key '" + keyAlias + "'";
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}

package io.jenkins.plugins.hsmsigning.engine;

import java.util.Locale;

/** How the key signs: RSA with PKCS#1 v1.5 or PSS padding, or ECDSA. Decided by the key type and one option. */
public enum SignatureScheme {
    RSA_PKCS1,
    RSA_PSS,
    ECDSA;

    /** The scheme for a key algorithm ({@code RSA} or {@code EC}) when the user asked for {@code pss} or not. */
    public static SignatureScheme forKey(String keyAlgorithm, boolean pss) throws SigningException {
        switch (keyAlgorithm.toUpperCase(Locale.ROOT)) {
            case "RSA":
                return pss ? RSA_PSS : RSA_PKCS1;
            case "EC":
            case "ECDSA":
                if (pss) {
                    throw new SigningException(SigningException.Kind.CONFIGURATION,
                            "RSA-PSS was requested but the key is an EC key: remove the PSS setting or use an RSA key.");
                }
                return ECDSA;
            default:
                throw new SigningException(SigningException.Kind.KEY,
                        "Keys of type " + keyAlgorithm + " cannot sign code: use an RSA or EC key.");
        }
    }
}

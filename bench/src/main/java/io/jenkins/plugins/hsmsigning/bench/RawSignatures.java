package io.jenkins.plugins.hsmsigning.bench;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;

/**
 * The token half of the floor: N raw signatures of distinct SHA-256 digests, with SunPKCS11 directly (no engine):
 * {@code NONEwithRSA} over a DigestInfo (CKM_RSA_PKCS) and {@code NONEwithECDSA} (CKM_ECDSA), after a short warm-up.
 * Also times the same count through the engine's {@link SigningKey#signDigest} (which adds the operation cap and the
 * check of every signature against the certificate), to show the engine's own cost per signature.
 */
final class RawSignatures {

    private RawSignatures() {
    }

    static void main(String[] args) throws Exception {
        Options o = new Options(args);
        int n = o.getInt("count", 1000);
        String alias = o.get("alias");
        String config = "--name=benchraw\nlibrary=" + o.get("library") + "\nslot=" + o.get("slot") + "\n";
        Provider p11 = Security.getProvider("SunPKCS11").configure(config);
        KeyStore ks = KeyStore.getInstance("PKCS11", p11);
        char[] pin = Options.pin();
        ks.load(null, pin);
        PrivateKey key = (PrivateKey) ks.getKey(alias, null);
        boolean rsa = key.getAlgorithm().equals("RSA");
        String algorithm = rsa ? "NONEwithRSA" : "NONEwithECDSA";
        SecureRandom random = new SecureRandom();
        List<byte[]> digests = new ArrayList<>();
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] d = new byte[32];
            random.nextBytes(d);
            digests.add(d);
            inputs.add(rsa ? new DigestInfo(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE), d)
                    .getEncoded(ASN1Encoding.DER) : d);
        }
        for (int i = 0; i < Math.min(50, n); i++) {
            sign(p11, algorithm, key, inputs.get(i));
        }
        long a = System.nanoTime();
        for (byte[] in : inputs) {
            sign(p11, algorithm, key, in);
        }
        long oneThread = System.nanoTime() - a;
        a = System.nanoTime();
        Thread other = new Thread(() -> {
            try {
                for (int i = 1; i < n; i += 2) {
                    sign(p11, algorithm, key, inputs.get(i));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        other.start();
        for (int i = 0; i < n; i += 2) {
            sign(p11, algorithm, key, inputs.get(i));
        }
        other.join();
        long twoThreads = System.nanoTime() - a;
        ((java.security.AuthProvider) p11).logout();

        // The same count through the engine's key (another provider on the same token: the raw one is done).
        double engineMs;
        try (SigningKey engineKey = EngineRun.source(o).open(Secret.of(pin))) {
            SignatureAlgorithm alg = engineKey.algorithm(DigestAlgorithm.SHA256, false);
            for (int i = 0; i < Math.min(50, n); i++) {
                engineKey.signDigest(alg, digests.get(i));
            }
            a = System.nanoTime();
            for (byte[] d : digests) {
                engineKey.signDigest(alg, d);
            }
            engineMs = (System.nanoTime() - a) / 1e6;
        }
        System.out.printf("RESULT alias=%s count=%d oneThreadMs=%.1f twoThreadsMs=%.1f engineSignDigestMs=%.1f%n",
                alias, n, oneThread / 1e6, twoThreads / 1e6, engineMs);
    }

    private static byte[] sign(Provider p11, String algorithm, PrivateKey key, byte[] input) throws Exception {
        Signature s = Signature.getInstance(algorithm, p11);
        s.initSign(key);
        s.update(input);
        return s.sign();
    }
}

package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.util.Selector;

/**
 * What becomes of the Authenticode signatures a file already carries when it is signed again. By default they are
 * kept and the new signature is nested after them (as signtool /as and jsign do); with "replace" they all go. Either
 * way, an earlier signature by the same certificate with the same digest algorithm is replaced rather than kept, so
 * that signing twice (a rebuilt or re-run job) leaves one signature, not two identical ones; the same certificate
 * with another digest is a deliberate dual signature and is kept.
 */
record EarlierSignatures(List<CMSSignedData> kept, List<String> keptSigners, List<String> replacedSigners,
        boolean ownReplaced) {

    private static final String SHA1 = "1.3.14.3.2.26";

    static EarlierSignatures plan(List<CMSSignedData> earlier, X509Certificate signer, DigestAlgorithm digest,
            boolean replace) {
        List<CMSSignedData> kept = new ArrayList<>();
        List<String> keptSigners = new ArrayList<>();
        List<String> replacedSigners = new ArrayList<>();
        boolean own = false;
        for (CMSSignedData signature : earlier) {
            boolean same = sameSignerAndDigest(signature, signer, digest);
            own |= same;
            if (replace || same) {
                replacedSigners.add(describe(signature));
            } else {
                kept.add(signature);
                keptSigners.add(describe(signature));
            }
        }
        return new EarlierSignatures(kept, keptSigners, replacedSigners, own);
    }

    /** For the log: what happened to the earlier signatures; null when the file carried none. */
    String summary() {
        if (keptSigners.isEmpty() && replacedSigners.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (!replacedSigners.isEmpty()) {
            parts.add((ownReplaced && keptSigners.isEmpty() && replacedSigners.size() == 1
                    ? "replaced its own earlier signature (same certificate and digest): "
                    : "replaced " + count(replacedSigners.size()) + ": ") + String.join("; ", replacedSigners));
        }
        if (!keptSigners.isEmpty()) {
            parts.add("kept " + count(keptSigners.size()) + " and nested the new one after "
                    + (keptSigners.size() == 1 ? "it" : "them") + ": " + String.join("; ", keptSigners));
        }
        return "earlier Authenticode signatures: " + String.join("; ", parts);
    }

    private static String count(int n) {
        return n == 1 ? "1 earlier signature" : n + " earlier signatures";
    }

    private static boolean sameSignerAndDigest(CMSSignedData signature, X509Certificate signer,
            DigestAlgorithm digest) {
        try {
            SignerInformation info = signature.getSignerInfos().getSigners().iterator().next();
            return info.getSID().match(new X509CertificateHolder(signer.getEncoded()))
                    && digest.equals(DigestAlgorithm.fromOid(info.getDigestAlgorithmID().getAlgorithm()));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return false;
        }
    }

    /** "CN=Vendor, O=Example (SHA-256)", as far as the signature says. */
    @SuppressWarnings("unchecked")
    private static String describe(CMSSignedData signature) {
        try {
            SignerInformation info = signature.getSignerInfos().getSigners().iterator().next();
            DigestAlgorithm digest = DigestAlgorithm.fromOid(info.getDigestAlgorithmID().getAlgorithm());
            String digestName = digest != null ? digest.jcaName()
                    : SHA1.equals(info.getDigestAlgOID()) ? "SHA-1" : info.getDigestAlgOID();
            Selector<X509CertificateHolder> signer = (Selector<X509CertificateHolder>) (Selector<?>) info.getSID();
            for (Object holder : signature.getCertificates().getMatches(signer)) {
                return new X500Principal(((X509CertificateHolder) holder).getSubject().getEncoded()).getName()
                        + " (" + digestName + ")";
            }
            return "an unknown signer (" + digestName + ")";
        } catch (IOException | RuntimeException e) {
            return "an unreadable signer";
        }
    }
}

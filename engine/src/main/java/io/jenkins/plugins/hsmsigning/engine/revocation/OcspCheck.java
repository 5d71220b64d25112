package io.jenkins.plugins.hsmsigning.engine.revocation;

import io.jenkins.plugins.hsmsigning.engine.keys.Providers;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CRLReason;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Asks an OCSP responder (RFC 6960) about one certificate. The answer counts only when it is signed by the issuer, or
 * by a responder certificate the issuer made for OCSP signing, names this certificate, echoes the nonce when it has
 * one, and is fresh.
 */
final class OcspCheck {

    private static final int MAX_RESPONSE_BYTES = 256 * 1024;
    private static final Duration SKEW = Duration.ofMinutes(5);
    /** How old an answer without a next-update time and without our nonce may be. */
    private static final Duration MAX_AGE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private OcspCheck() {
    }

    static RevocationStatus status(X509Certificate certificate, X509Certificate issuer, String url,
            BoundedHttp http, Instant now) {
        String source = "the OCSP responder " + url;
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder()
                    .setProvider(Providers.bouncyCastle()).build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer), certificate.getSerialNumber());
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            OCSPReq request = new OCSPReqBuilder().addRequest(id).setRequestExtensions(new Extensions(new Extension(
                    OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce)))).build();
            OCSPResp response = new OCSPResp(http.post(url, "application/ocsp-request", request.getEncoded(),
                    MAX_RESPONSE_BYTES));
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                return RevocationStatus.unknown(source + " refused the request (status " + response.getStatus()
                        + ")");
            }
            if (!(response.getResponseObject() instanceof BasicOCSPResp basic)) {
                return RevocationStatus.unknown(source + " gave no basic OCSP response");
            }
            if (!signedForIssuer(basic, issuer, now)) {
                return RevocationStatus.unknown(source + " answered with a response not signed by the issuer or "
                        + "its OCSP responder");
            }
            boolean nonceEchoed = nonceEchoed(basic, nonce);
            for (SingleResp single : basic.getResponses()) {
                if (single.getCertID().equals(id)) {
                    return status(single, nonceEchoed, now, source);
                }
            }
            return RevocationStatus.unknown(source + " did not answer for this certificate");
        } catch (NonceMismatch e) {
            return RevocationStatus.unknown(source + " answered another request (nonce mismatch)");
        } catch (IOException e) {
            return RevocationStatus.unknown(source + " did not answer: " + e.getMessage());
        } catch (Exception e) {
            return RevocationStatus.unknown(source + " gave an answer that cannot be read");
        }
    }

    private static RevocationStatus status(SingleResp single, boolean nonceEchoed, Instant now, String source) {
        Instant thisUpdate = single.getThisUpdate().toInstant();
        Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
        boolean fresh = !thisUpdate.isAfter(now.plus(SKEW)) && (nextUpdate != null
                ? !nextUpdate.isBefore(now.minus(SKEW)) : nonceEchoed || !thisUpdate.isBefore(now.minus(MAX_AGE)));
        CertificateStatus status = single.getCertStatus();
        if (status instanceof RevokedStatus revoked) {
            String reason = revoked.hasRevocationReason() ? reasonName(revoked.getRevocationReason()) : null;
            return RevocationStatus.revoked(revoked.getRevocationTime().toInstant(), reason, source);
        }
        if (!fresh) {
            return RevocationStatus.unknown(source + " gave an out-of-date answer (produced " + CrlCheck.format(
                    thisUpdate) + ")");
        }
        return status == CertificateStatus.GOOD ? RevocationStatus.good(source)
                : RevocationStatus.unknown(source + " does not know this certificate");
    }

    private static boolean signedForIssuer(BasicOCSPResp basic, X509Certificate issuer, Instant now)
            throws Exception {
        List<X509Certificate> signers = new ArrayList<>();
        signers.add(issuer);
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder holder : basic.getCerts()) {
            X509Certificate delegate = converter.getCertificate(holder);
            if (delegatedBy(delegate, issuer, now)) {
                signers.add(delegate);
            }
        }
        for (X509Certificate signer : signers) {
            if (basic.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Providers.bouncyCastle())
                    .build(signer.getPublicKey()))) {
                return true;
            }
        }
        return false;
    }

    /** A responder certificate the issuer signed, valid now, for OCSP signing (RFC 6960 section 4.2.2.2). */
    private static boolean delegatedBy(X509Certificate delegate, X509Certificate issuer, Instant now) {
        try {
            delegate.verify(issuer.getPublicKey());
            delegate.checkValidity(Date.from(now));
            List<String> usage = delegate.getExtendedKeyUsage();
            return delegate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) && usage != null
                    && usage.contains(KeyPurposeId.id_kp_OCSPSigning.getId());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Responders echo the nonce as an OCTET STRING, as requested; some send the bare value. */
    private static boolean nonceEchoed(BasicOCSPResp basic, byte[] nonce) throws NonceMismatch, IOException {
        Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (echoed == null) {
            return false;
        }
        byte[] value = echoed.getExtnValue().getOctets();
        if (Arrays.equals(value, new DEROctetString(nonce).getEncoded()) || Arrays.equals(value, nonce)) {
            return true;
        }
        throw new NonceMismatch();
    }

    private static String reasonName(int code) {
        CRLReason[] reasons = CRLReason.values();
        return code > 0 && code < reasons.length ? CrlCheck.camel(reasons[code].name()) : null;
    }

    /** An answer to another request. */
    private static final class NonceMismatch extends Exception {
        private static final long serialVersionUID = 1L;
    }
}

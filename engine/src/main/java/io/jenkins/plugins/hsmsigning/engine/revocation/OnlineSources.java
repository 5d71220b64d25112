package io.jenkins.plugins.hsmsigning.engine.revocation;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * The OCSP responders (authority information access) and CRL distribution points a certificate names, as far as
 * {@link BoundedHttp} fetches them: http and https URLs, at most a few of each.
 */
final class OnlineSources {

    private static final int MAX_URLS = 4;

    private OnlineSources() {
    }

    static List<String> ocspUrls(X509Certificate certificate) {
        List<String> urls = new ArrayList<>();
        byte[] extension = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (extension == null) {
            return urls;
        }
        try {
            AuthorityInformationAccess access = AuthorityInformationAccess.getInstance(
                    JcaX509ExtensionUtils.parseExtensionValue(extension));
            for (AccessDescription description : access.getAccessDescriptions()) {
                if (AccessDescription.id_ad_ocsp.equals(description.getAccessMethod())) {
                    add(urls, description.getAccessLocation());
                }
            }
        } catch (Exception e) {
            // an unreadable extension names no responder
        }
        return urls;
    }

    static List<String> crlUrls(X509Certificate certificate) {
        List<String> urls = new ArrayList<>();
        byte[] extension = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (extension == null) {
            return urls;
        }
        try {
            for (DistributionPoint point : CRLDistPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                    extension)).getDistributionPoints()) {
                DistributionPointName name = point.getDistributionPoint();
                if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                    for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
                        add(urls, general);
                    }
                }
            }
        } catch (Exception e) {
            // an unreadable extension names no distribution point
        }
        return urls;
    }

    private static void add(List<String> urls, GeneralName name) {
        if (name.getTagNo() == GeneralName.uniformResourceIdentifier && urls.size() < MAX_URLS) {
            String url = ASN1IA5String.getInstance(name.getName()).getString();
            if (BoundedHttp.fetchable(url)) {
                urls.add(url);
            }
        }
    }
}

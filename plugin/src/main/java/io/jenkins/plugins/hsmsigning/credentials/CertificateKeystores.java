package io.jenkins.plugins.hsmsigning.credentials;

import com.cloudbees.plugins.credentials.common.StandardCertificateCredentials;
import hudson.util.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/** The PKCS#12 bytes of a Certificate credential, which the credentials plugin only hands out as a loaded KeyStore. */
public final class CertificateKeystores {

    private CertificateKeystores() {
    }

    public static byte[] pkcs12(StandardCertificateCredentials credential) throws SigningException {
        char[] password = Secret.toString(credential.getPassword()).toCharArray();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            credential.getKeyStore().store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new SigningException(Kind.KEY, "The Certificate credential '" + credential.getId()
                    + "' holds no usable keystore: " + e.getClass().getSimpleName() + ".", e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}

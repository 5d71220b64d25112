package io.jenkins.plugins.hsmsigning.engine.hostile;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs12KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The child JVM of {@link KilledWhileSigningTest}: signs one JAR in place with a PKCS#12 key (no token needed) and a
 * time-stamp authority, the way the command line would. Arguments: the JAR, the PKCS#12 file, the TSA URL; the
 * keystore password comes on standard input, never on the command line.
 */
public final class SignInPlaceChild {

    private SignInPlaceChild() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        byte[] keystore = Files.readAllBytes(Path.of(args[1]));
        char[] password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine()
                .toCharArray();
        SigningOptions options = SigningOptions.defaults().formats(Set.of(Format.JAR)).timestamps(
                TimestampSettings.of(List.of(args[2]), true).withAttempts(1, Duration.ZERO)
                        .withTimeout(Duration.ofHours(1))); // the TSA holds its answer until the test kills us
        try (Secret secret = Secret.of(password); SigningKey key = Pkcs12KeySource.of(keystore, "child.p12")
                .open(secret)) {
            System.out.println("signing " + jar);
            System.out.println(new ArtifactSigner(key, options).sign(jar, jar.getFileName().toString()));
        }
    }
}

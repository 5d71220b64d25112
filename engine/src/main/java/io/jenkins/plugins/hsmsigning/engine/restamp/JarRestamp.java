package io.jenkins.plugins.hsmsigning.engine.restamp;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.deep.ZipLayout;
import io.jenkins.plugins.hsmsigning.engine.deep.ZipRewriter;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.jar.JarFormat;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/**
 * JAR signatures, stamped as {@code jarsigner -tsa} would have: each signer in a signature block
 * ({@code META-INF/*.RSA}, {@code .EC}, {@code .DSA}) without a timestamp gets an RFC 3161 token as the unsigned
 * signatureTimeStampToken attribute. Only the signature blocks change: every other entry is copied byte for byte
 * (local header, data, central record but for its offset), so manifests, signature files and contents stay as they
 * were signed.
 */
final class JarRestamp implements Restamping.EmbeddedRestamp {

    /** Signature block entries, as the JDK's jar verifier finds them (case-insensitive, directly in META-INF). */
    private static final Pattern BLOCK = Pattern.compile("META-INF/[^/]+\\.(RSA|DSA|EC)");
    /** Certificates and signer infos are a few KiB; anything far larger is not read into memory. */
    private static final long MAX_BLOCK = 4L * 1024 * 1024;

    @Override
    public JarFormat format() {
        return new JarFormat();
    }

    @Override
    public TimestampDetails stamp(Path source, Path target, String artifactName, Timestamper timestamper)
            throws SigningException {
        Path work = null;
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            ZipLayout layout = ZipLayout.read(in, artifactName);
            work = Files.createTempDirectory("hsmsign-restamp");
            Map<ZipLayout.Entry, Path> replaced = new HashMap<>();
            TimestampDetails added = null;
            for (ZipLayout.Entry entry : layout.entries()) {
                if (!BLOCK.matcher(entry.name().toUpperCase(Locale.ROOT)).matches()) {
                    continue;
                }
                if (entry.size() > MAX_BLOCK) {
                    throw new SigningException(Kind.INPUT, "The signature block " + entry.name() + " of "
                            + artifactName + " holds " + entry.size() + " bytes, more than a signature block needs ("
                            + MAX_BLOCK + "), so it was left unchanged.");
                }
                Path block = work.resolve("block-" + replaced.size());
                ZipRewriter.extract(in, entry, block);
                SignerStamps.Stamped stamped = SignerStamps.addMissing(parse(block, artifactName, entry),
                        timestamper, artifactName + "!/" + entry.name());
                if (stamped.signed() != null) {
                    Files.write(block, stamped.signed().getEncoded(ASN1Encoding.DER));
                    replaced.put(entry, block);
                    added = stamped.added();
                }
            }
            if (added != null) {
                rewrite(in, layout, replaced, target);
            }
            return added;
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The timestamps could not be added to " + artifactName + ": "
                    + Reasons.detail(e) + "; it was left unchanged.", e);
        } finally {
            if (work != null) {
                AtomicFiles.deleteTree(work);
            }
        }
    }

    private static CMSSignedData parse(Path block, String artifactName, ZipLayout.Entry entry)
            throws IOException, SigningException {
        try {
            return new CMSSignedData(Files.readAllBytes(block));
        } catch (CMSException | RuntimeException e) {
            throw new SigningException(Kind.INPUT, "The signature block " + entry.name() + " of " + artifactName
                    + " is not a CMS signature: " + Reasons.detail(e) + ".", e);
        }
    }

    private static void rewrite(FileChannel in, ZipLayout layout, Map<ZipLayout.Entry, Path> replaced, Path target)
            throws IOException {
        try (ZipRewriter out = new ZipRewriter(in, target)) {
            out.copyPrefix(layout.prefixEnd());
            for (ZipLayout.Entry entry : layout.entries()) {
                Path content = replaced.get(entry);
                if (content == null) {
                    out.copy(entry);
                } else {
                    out.replace(entry, content);
                }
            }
            out.finish(layout);
        }
    }
}

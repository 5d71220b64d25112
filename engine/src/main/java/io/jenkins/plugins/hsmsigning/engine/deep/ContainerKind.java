package io.jenkins.plugins.hsmsigning.engine.deep;

import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeKind;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.io.ZipPreflight;
import io.jenkins.plugins.hsmsigning.engine.jar.JarFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;

/** The kinds of ZIP container deep signing opens, and the embedded format that signs each one itself (ZIP: none). */
enum ContainerKind {
    ZIP(null, false),
    JAR(Format.JAR, false),
    NUGET(Format.AUTHENTICODE, true),
    APPX(Format.AUTHENTICODE, true);

    private static final String BUNDLE_MANIFEST = "AppxMetadata/AppxBundleManifest.xml";

    private final Format ownFormat;
    private final boolean opc;

    ContainerKind(Format ownFormat, boolean opc) {
        this.ownFormat = ownFormat;
        this.opc = opc;
    }

    /** The embedded format the container itself is signed in, or null for a plain ZIP. */
    Format ownFormat() {
        return ownFormat;
    }

    /** OPC packages (NuGet, APPX) treat entry names without regard to case, so preflight refuses such twins. */
    boolean caseInsensitiveNames() {
        return opc;
    }

    /** The container kind of {@code file}, or null when it is not a ZIP archive. */
    static ContainerKind of(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (!ZipPreflight.isZip(head)) {
            return null;
        }
        AuthenticodeKind authenticode = AuthenticodeKind.detect(file, String.valueOf(file.getFileName()));
        if (authenticode == AuthenticodeKind.NUGET) {
            return NUGET;
        }
        if (authenticode == AuthenticodeKind.APPX) {
            return APPX;
        }
        return new JarFormat().recognizes(file) ? JAR : ZIP;
    }

    /** Whether the APPX container with these entry names is a bundle of packages rather than a package. */
    static boolean isAppxBundle(Collection<String> names) {
        return names.contains(BUNDLE_MANIFEST);
    }

    /**
     * Why deep signing must not change what is inside this container, or null when it may: changing a signed
     * container's files would break the signatures it already carries (an APPX/MSIX package's single signature is
     * replaced only when earlier signatures are to be replaced); an APPX/MSIX bundle states the offset and size of
     * each package in its manifest, and a package's code integrity catalog the hashes of its executables, which the
     * engine does not rewrite.
     */
    String untouchable(Collection<String> names, boolean replaceSignatures) {
        if (this == APPX) {
            if (isAppxBundle(names)) {
                return "deep signing does not open APPX/MSIX bundles (their manifest states where each package lies "
                        + "and how long it is); the bundle itself is signed, so deep-sign the packages before bundling";
            }
            if (names.contains(AppxRepack.CODE_INTEGRITY)) {
                return "its code integrity catalog (" + AppxRepack.CODE_INTEGRITY + ") lists the hashes of its "
                        + "executables, which deep signing does not rewrite; the package itself is signed";
            }
        }
        boolean signed = switch (this) {
            case JAR -> names.stream().map(n -> n.toUpperCase(Locale.ROOT))
                    .anyMatch(n -> n.startsWith("META-INF/") && n.indexOf('/', 9) < 0 && n.endsWith(".SF"));
            case NUGET -> names.contains(".signature.p7s");
            case APPX -> names.contains(AppxRepack.SIGNATURE) && !replaceSignatures;
            default -> false;
        };
        return signed ? "it is already signed, and changing the files inside would break that signature, so only "
                + "the container itself was signed" + (this == APPX ? " (replacing earlier signatures re-signs "
                + "the package with its files)" : "") : null;
    }
}

package io.jenkins.plugins.hsmsigning.engine.formats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Names, for messages, the kind a file's name claims and the kind its first bytes show. */
final class NamedKinds {

    private static final String PE = "a Windows executable (PE)";
    private static final String MSI = "a Windows Installer package";
    private static final String APPX = "an APPX/MSIX package";
    private static final String NUGET = "a NuGet package";
    private static final String JAR = "a Java archive (a ZIP with META-INF/MANIFEST.MF)";
    private static final Map<String, String> CLAIMED = Map.ofEntries(Map.entry("exe", PE), Map.entry("dll", PE),
            Map.entry("sys", PE), Map.entry("ocx", PE), Map.entry("scr", PE), Map.entry("cpl", PE),
            Map.entry("efi", PE), Map.entry("mui", PE), Map.entry("msi", MSI), Map.entry("msp", MSI),
            Map.entry("mst", MSI), Map.entry("cab", "a cabinet (CAB)"), Map.entry("cat", "a security catalog"),
            Map.entry("appx", APPX), Map.entry("appxbundle", APPX), Map.entry("msix", APPX),
            Map.entry("msixbundle", APPX), Map.entry("nupkg", NUGET), Map.entry("snupkg", NUGET),
            Map.entry("jar", JAR), Map.entry("war", JAR), Map.entry("ear", JAR));
    private static final int HEAD = 512;

    private NamedKinds() {
    }

    /** "a Windows executable (PE)" for {@code exe}. */
    static String claimed(String extension) {
        return CLAIMED.getOrDefault(extension, "a signed kind of file");
    }

    /** What the first bytes show, as far as that goes: "a ZIP archive of another kind", "text", ... */
    static String content(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD);
        }
        if (startsWith(head, 'P', 'K', 3, 4) || startsWith(head, 'P', 'K', 5, 6)) {
            return "a ZIP archive of another kind";
        }
        if (startsWith(head, 0xD0, 0xCF, 0x11, 0xE0)) {
            return "a compound (OLE) file that is not an installer, such as an Office document";
        }
        if (startsWith(head, 'M', 'S', 'C', 'F')) {
            return "a damaged cabinet";
        }
        if (startsWith(head, 0x1F, 0x8B)) {
            return "gzip-compressed data";
        }
        if (startsWith(head, 0x7F, 'E', 'L', 'F')) {
            return "a Linux/Unix executable (ELF)";
        }
        if (head.length > 0 && head[0] == 0x30) {
            return "DER-encoded data that is not a security catalog";
        }
        for (byte b : head) {
            if (b == 0) {
                return "binary data of another kind";
            }
        }
        return "text";
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}

package io.jenkins.plugins.hsmsigning.engine.authenticode;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.jsign.Signable;
import net.jsign.appx.APPXFile;
import net.jsign.asn1.authenticode.AuthenticodeObjectIdentifiers;
import net.jsign.cat.CatalogFile;
import net.jsign.msi.MSIFile;
import net.jsign.mscab.MSCabinetFile;
import net.jsign.nuget.NugetFile;
import net.jsign.pe.PEFile;
import net.jsign.script.JScript;
import net.jsign.script.MofScript;
import net.jsign.script.PowerShellScript;
import net.jsign.script.PowerShellXMLScript;
import net.jsign.script.VBScript;
import net.jsign.script.WindowsScript;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1SetParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfoParser;
import org.bouncycastle.asn1.cms.SignedDataParser;

/**
 * The kinds of file Authenticode signs, recognised by content rather than by name (scripts, which have no magic
 * number, by extension and text), and the jsign class that handles each. The engine decides the kind itself because
 * it signs a copy with a temporary name, and so that a renamed or truncated file is refused before anything is signed.
 */
public enum AuthenticodeKind {
    PE("a Windows executable (PE)"),
    MSI("a Windows Installer package (MSI)"),
    CAB("a cabinet (CAB)"),
    CATALOG("a security catalog (CAT)"),
    POWERSHELL("a PowerShell script"),
    POWERSHELL_XML("a PowerShell XML file (.ps1xml, .psc1 or .cdxml)"),
    MOF("a MOF file"),
    VBSCRIPT("a VBScript file"),
    JSCRIPT("a JScript file"),
    WINDOWS_SCRIPT("a Windows Script File (WSF)"),
    APPX("an APPX/MSIX package"),
    NUGET("a NuGet package");

    private static final byte[] OLE = HexFormat.of().parseHex("d0cf11e0a1b11ae1");
    private static final byte[] CAB_MAGIC = "MSCF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    /** Root storage class IDs of Windows Installer databases, patches and transforms, as stored on disk. */
    private static final List<byte[]> INSTALLER_CLSIDS = List.of(
            HexFormat.of().parseHex("84100c0000000000c000000000000046"),
            HexFormat.of().parseHex("86100c0000000000c000000000000046"),
            HexFormat.of().parseHex("82100c0000000000c000000000000046"));
    /** Scripts by extension: every kind PowerShell's and Windows Script Host's signature interfaces sign. */
    private static final Map<String, AuthenticodeKind> SCRIPTS = Map.ofEntries(Map.entry("ps1", POWERSHELL),
            Map.entry("psm1", POWERSHELL), Map.entry("psd1", POWERSHELL), Map.entry("ps1xml", POWERSHELL_XML),
            Map.entry("psc1", POWERSHELL_XML), Map.entry("cdxml", POWERSHELL_XML), Map.entry("mof", MOF),
            Map.entry("vbs", VBSCRIPT), Map.entry("js", JSCRIPT), Map.entry("wsf", WINDOWS_SCRIPT));
    private static final int HEAD = 8192;

    private final String description;

    AuthenticodeKind(String description) {
        this.description = description;
    }

    /** Scripts are text, recognised by extension. */
    boolean script() {
        return SCRIPTS.containsValue(this);
    }

    /**
     * Whether "auto" leaves this kind to a detached signature: JavaScript, VBScript and WSF files are also read by
     * browsers, bundlers and other tools that ignore (or choke on) an embedded signature block. PowerShell files are
     * signed in place, the only form PowerShell's execution policy honours.
     */
    boolean detachedUnderAuto() {
        return this == VBSCRIPT || this == JSCRIPT || this == WINDOWS_SCRIPT;
    }

    /** Reads like "a Windows executable (PE)", for messages. */
    String description() {
        return description;
    }

    /**
     * The kind of {@code file}, or null when Authenticode cannot sign it. {@code name} is the name the user knows the
     * file by; only its extension is used, and only for scripts.
     */
    public static AuthenticodeKind detect(Path file, String name) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
            // the magic numbers and the DOS header first: most files signed in bulk are PE files, which need no more
            byte[] head = read(channel, 0, 0x40);
            if (isPe(channel, head)) {
                return PE;
            }
            if (head.length == 0x40) {
                head = read(channel, 0, HEAD);
            }
            if (startsWith(head, OLE)) {
                return isInstallerDatabase(channel, head) ? MSI : null;
            }
            if (startsWith(head, CAB_MAGIC)) {
                return CAB;
            }
            if (startsWith(head, ZIP)) {
                return zipKind(file);
            }
            AuthenticodeKind script = SCRIPTS.get(extension(name));
            if (script != null) {
                return head.length > 0 && isText(head) ? script : null;
            }
            return head.length > 0 && head[0] == 0x30 && isCatalog(file) ? CATALOG : null;
        }
    }

    /**
     * Why a file whose first bytes claim a kind Authenticode signs, but that {@link #detect} does not recognise, is
     * damaged: a sentence naming {@code name}, or null when the file claims no such kind or is intact. A DOS header
     * ('MZ') whose PE header is missing or lies past the end is damaged; so is an OLE compound file whose header is
     * cut short or whose directory lies past the end. An intact OLE file that is not an installer (a Word document,
     * say) is not damaged: it is simply not Authenticode's.
     */
    public static String damage(Path file, String name) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        byte[] head;
        long size;
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
            head = read(channel, 0, 512);
            size = channel.size();
        }
        if (head.length >= 2 && head[0] == 'M' && head[1] == 'Z') {
            return PeLayout.headerProblem(file, name);
        }
        if (!startsWith(head, OLE)) {
            return null;
        }
        if (head.length < 512) {
            return "The compound file (OLE) " + name + " is truncated: at " + size + " bytes it is too short for its "
                    + "header.";
        }
        ByteBuffer header = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int sectorShift = header.getShort(0x1E);
        long firstDirectorySector = Integer.toUnsignedLong(header.getInt(0x30));
        if (sectorShift != 9 && sectorShift != 12) {
            return "The compound file (OLE) " + name + " is damaged: its header states an invalid sector size.";
        }
        if (firstDirectorySector >= 0xFFFFFFFAL || ((firstDirectorySector + 1) << sectorShift) + 128 > size) {
            return "The compound file (OLE) " + name + " is damaged or truncated: its directory lies past the end of "
                    + "the file.";
        }
        return null;
    }

    /** jsign's handler for a file to be signed in place. */
    public Signable open(File file) throws IOException {
        return switch (this) {
            case PE -> new PEFile(file);
            case MSI -> new MSIFile(file);
            case CAB -> new MSCabinetFile(file);
            case CATALOG -> new CatalogFile(file);
            case POWERSHELL -> new PowerShellScript(file);
            case POWERSHELL_XML -> new PowerShellXMLScript(file);
            case MOF -> new MofScript(file);
            case VBSCRIPT -> new VBScript(file);
            case JSCRIPT -> new JScript(file);
            case WINDOWS_SCRIPT -> new WindowsScript(file);
            case APPX -> new APPXFile(file);
            case NUGET -> new NugetFile(file);
        };
    }

    /**
     * jsign's handler for a file that is only read, such that verification cannot change the artifact. Binary kinds
     * get a read-only channel; scripts are read into memory and written only by {@code save()}, never called here.
     * MSI files are special: jsign's {@code MSIFile(File)} has Apache POI map the file read-write, and mapping the
     * last sector of a file that ends in the middle of one extends the file (found by the fuzzer). A file of whole
     * sectors cannot be extended that way (POI never maps past its end), so it is still read from disk; any other
     * MSI file, or one this process may not write, is read through a read-only channel into memory (POI allows up
     * to 250 MB that way).
     */
    Signable openReadOnly(Path file) throws IOException {
        if (script()) {
            return open(file.toFile());
        }
        if (this == MSI && wholeSectors(file) && Files.isWritable(file)) {
            return open(file.toFile());
        }
        SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ);
        try {
            return switch (this) {
                case MSI -> new MSIFile(channel);
                case PE -> new PEFile(channel);
                case CAB -> new MSCabinetFile(channel);
                case CATALOG -> new CatalogFile(channel);
                case APPX -> new APPXFile(channel);
                default -> new NugetFile(channel);
            };
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Whether a compound file's size is a whole number of its sectors. */
    static boolean wholeSectors(Path file) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
            byte[] head = read(channel, 0, 0x20);
            if (head.length < 0x20) {
                return false;
            }
            int sectorShift = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getShort(0x1E);
            return (sectorShift == 9 || sectorShift == 12) && channel.size() % (1L << sectorShift) == 0;
        }
    }

    /** 'MZ', then 'PE\0\0' where the DOS header's e_lfanew points. */
    private static boolean isPe(SeekableByteChannel channel, byte[] head) throws IOException {
        if (head.length < 0x40 || head[0] != 'M' || head[1] != 'Z') {
            return false;
        }
        long peOffset = Integer.toUnsignedLong(ByteBuffer.wrap(head, 0x3C, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        return Arrays.equals(read(channel, peOffset, 4), new byte[] {'P', 'E', 0, 0});
    }

    /** An OLE compound file whose root storage has an installer class ID (Word documents and the like do not). */
    private static boolean isInstallerDatabase(SeekableByteChannel channel, byte[] head) throws IOException {
        if (head.length < 0x34) {
            return false;
        }
        ByteBuffer header = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int sectorShift = header.getShort(0x1E);
        long firstDirectorySector = Integer.toUnsignedLong(header.getInt(0x30));
        if (sectorShift != 9 && sectorShift != 12) {
            return false;
        }
        byte[] clsid = read(channel, ((firstDirectorySector + 1) << sectorShift) + 0x50, 16);
        return INSTALLER_CLSIDS.stream().anyMatch(c -> Arrays.equals(c, clsid));
    }

    /** APPX/MSIX packages and bundles, and NuGet packages; other ZIP files (JARs) are not Authenticode's. */
    private static AuthenticodeKind zipKind(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return packageKind(zip);
        } catch (IOException | RuntimeException e) {
            // not a ZIP the JDK can read (it says so with ZipException, EOFException or worse): not a package;
            // Formats.refuseDamaged says what is wrong with it
            return null;
        }
    }

    /**
     * Whether an opened ZIP archive is an APPX/MSIX or NuGet package, which Authenticode signs; for the JAR format,
     * which signs every other ZIP archive with a manifest and has the archive open already.
     */
    public static boolean isPackage(ZipFile zip) {
        return packageKind(zip) != null;
    }

    private static AuthenticodeKind packageKind(ZipFile zip) {
        boolean contentTypes = false;
        boolean appx = false;
        boolean nuspec = false;
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
            String entry = e.nextElement().getName();
            contentTypes |= entry.equals("[Content_Types].xml");
            appx |= entry.equals("AppxManifest.xml") || entry.equals("AppxMetadata/AppxBundleManifest.xml");
            nuspec |= entry.endsWith(".nuspec") && !entry.contains("/");
        }
        if (!contentTypes) {
            return null;
        }
        return appx ? APPX : nuspec ? NUGET : null;
    }

    /** A PKCS#7 SignedData whose content is a certificate trust list, read only as far as the content type. */
    private static boolean isCatalog(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ContentInfoParser contentInfo = new ContentInfoParser(
                    (ASN1SequenceParser) new ASN1StreamParser(in).readObject());
            if (!CMSObjectIdentifiers.signedData.equals(contentInfo.getContentType())) {
                return false;
            }
            SignedDataParser signedData = SignedDataParser.getInstance(contentInfo.getContent(BERTags.SEQUENCE));
            ASN1SetParser digests = signedData.getDigestAlgorithms();
            for (ASN1Encodable d = digests.readObject(); d != null; d = digests.readObject()) {
                // skipped: only the content type matters
            }
            return AuthenticodeObjectIdentifiers.OID_CTL.equals(signedData.getEncapContentInfo().getContentType());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Text: a UTF-16 byte order mark, or no NUL byte at the start. An empty file is no script: nothing to sign. */
    private static boolean isText(byte[] head) {
        if (head.length >= 2 && (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE
                || head[0] == (byte) 0xFE && head[1] == (byte) 0xFF)) {
            return true;
        }
        for (byte b : head) {
            if (b == 0) {
                return false;
            }
        }
        return true;
    }

    private static String extension(String name) {
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        int dot = base.lastIndexOf('.');
        return dot < 0 ? "" : base.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    private static byte[] read(SeekableByteChannel channel, long position, int length) throws IOException {
        if (position < 0 || position >= channel.size()) {
            return new byte[0];
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, channel.size() - position));
        channel.position(position);
        while (buffer.hasRemaining() && channel.read(buffer) > 0) {
            // keep reading until the buffer is full or the file ends
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }
}

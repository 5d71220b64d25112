package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.jsign.asn1.authenticode.AuthenticodeObjectIdentifiers;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTCTime;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * Unsigned sample files of every kind Authenticode signs, made from source once per JVM with Debian's tools
 * (mingw-w64, wixl, gcab) or by hand (catalog, scripts, APPX, NuGet); nothing is downloaded. Tests get copies.
 */
public enum AuthenticodeSamples {
    PE("hello.exe", true),
    MSI("hello.msi", true),
    CAB("hello.cab", true),
    CAT("hello.cat", true),
    PS1("hello.ps1", true),
    PSM1("hello.psm1", true),
    PSD1("hello.psd1", true),
    PS1XML("hello.ps1xml", true),
    PSC1("hello.psc1", true),
    CDXML("hello.cdxml", true),
    MOF("hello.mof", true),
    VBS("hello.vbs", false),
    JS("hello.js", false),
    WSF("hello.wsf", false),
    APPX("hello.appx", true),
    MSIX("hello.msix", true),
    BUNDLE("hello.msixbundle", true),
    NUGET("hello.nupkg", false);

    /** The subject the APPX manifest names as publisher: jsign refuses a certificate with another one. */
    public static final String APPX_PUBLISHER = "CN=HSM Signing Test rsa3072, O=HSM Signing Tests";

    private static final Map<AuthenticodeSamples, Path> BUILT = new EnumMap<>(AuthenticodeSamples.class);

    private final String fileName;
    private final boolean osslsigncode;

    AuthenticodeSamples(String fileName, boolean osslsigncode) {
        this.fileName = fileName;
        this.osslsigncode = osslsigncode;
    }

    public String fileName() {
        return fileName;
    }

    /**
     * Whether {@code osslsigncode verify} (2.9) knows the format: not NuGet, and of the scripts only PowerShell's
     * kinds and MOF.
     */
    public boolean osslsigncode() {
        return osslsigncode;
    }

    /** JavaScript, VBScript and WSF files get a detached signature under "auto"; PowerShell files do not. */
    public boolean detachedUnderAuto() {
        return this == VBS || this == JS || this == WSF;
    }

    /** A fresh copy of the sample in {@code dir}, named {@code fileName()}. */
    public Path copyTo(Path dir) {
        try {
            return Files.copy(built(), dir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path built() throws IOException {
        synchronized (BUILT) {
            Path file = BUILT.get(this);
            if (file == null) {
                Path dir = Files.createDirectories(Path.of(System.getProperty("hsmsigning.test.softhsm.dir"))
                        .resolveSibling("authenticode-samples").resolve(name()));
                file = build(dir, dir.resolve(fileName));
                BUILT.put(this, file);
            }
            return file;
        }
    }

    private Path build(Path dir, Path file) throws IOException {
        switch (this) {
            case PE:
                Path c = Files.writeString(dir.resolve("hello.c"), "int main(void) { return 0; }\n");
                ExternalTool.require("x86_64-w64-mingw32-gcc");
                ExternalTool.runChecked(List.of("x86_64-w64-mingw32-gcc", "-Os", "-s", "-o", file.toString(),
                        c.toString()));
                return file;
            case MSI:
                ExternalTool.require("wixl");
                Files.writeString(dir.resolve("readme.txt"), "hello\n");
                Path wxs = Files.writeString(dir.resolve("hello.wxs"), WXS);
                return runIn(dir, file, "wixl", "-o", file.toString(), wxs.toString());
            case CAB:
                ExternalTool.require("gcab");
                Files.writeString(dir.resolve("readme.txt"), "hello\n");
                return runIn(dir, file, "gcab", "-c", "-z", file.toString(), "readme.txt");
            case CAT:
                return Files.write(file, catalog());
            case PS1:
                return text(file, "Write-Output 'hello'\r\n");
            case PSM1:
                return text(file, "function Get-Hello { 'hello' }\r\n");
            case PSD1:
                return text(file, "@{ ModuleVersion = '1.0.0' }\r\n");
            case PS1XML:
                return text(file, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Types><Type><Name>System.String"
                        + "</Name></Type></Types>\r\n");
            case PSC1:
                return text(file, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<PSConsoleFile ConsoleSchemaVersion="
                        + "\"1.0\"><PSVersion>5.1</PSVersion></PSConsoleFile>\r\n");
            case CDXML:
                return text(file, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<PowerShellMetadata xmlns=\"http://"
                        + "schemas.microsoft.com/cmdlets-over-objects/2009/11\"><Class ClassName=\"Root/Cimv2/"
                        + "Win32_Service\"/></PowerShellMetadata>\r\n");
            case MOF:
                return text(file, "#pragma namespace(\"\\\\\\\\.\\\\root\\\\cimv2\")\r\ninstance of __Namespace "
                        + "{ Name = \"HsmSigningTest\"; };\r\n");
            case VBS:
                return text(file, "WScript.Echo \"hello\"\r\n");
            case JS:
                return text(file, "WScript.Echo('hello');\r\n");
            case WSF:
                return text(file, "<job id=\"main\"><script language=\"JScript\">WScript.Echo('hello');</script>"
                        + "</job>\r\n");
            case APPX:
                return appx(file, "http://www.w3.org/2001/04/xmlenc#sha256");
            case MSIX:
                return appx(file, "http://www.w3.org/2001/04/xmlenc#sha512");
            case BUNDLE:
                return bundle(file, MSIX.built());
            default:
                return nuget(file);
        }
    }

    private static Path runIn(Path dir, Path file, String... command) {
        ToolResult result = ExternalTool.run(List.of(command), Map.of(), dir, Duration.ofMinutes(1));
        if (result.exitCode() != 0 || !Files.isRegularFile(file)) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + result.output());
        }
        return file;
    }

    private static Path text(Path file, String content) throws IOException {
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** An unsigned catalog: a PKCS#7 SignedData with no signer around an empty certificate trust list. */
    private static byte[] catalog() throws IOException {
        DERSequence ctl = new DERSequence(new ASN1Encodable[] {
            new DERSequence(new ASN1ObjectIdentifier("1.3.6.1.4.1.311.12.1.1")),
            new DEROctetString("hsm-signing-test".getBytes(StandardCharsets.US_ASCII)),
            new DERUTCTime(new Date()),
            new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.6.1.4.1.311.12.1.2"),
                    DERNull.INSTANCE),
        });
        SignedData signedData = new SignedData(new DERSet(), new ContentInfo(AuthenticodeObjectIdentifiers.OID_CTL,
                ctl), null, null, new DERSet());
        return new ContentInfo(CMSObjectIdentifiers.signedData, signedData).getEncoded(ASN1Encoding.DER);
    }

    /**
     * A minimal APPX/MSIX: stored entries, a block map stating {@code hashMethod} with the block hashes made with it,
     * the content types. Packaging tools let the packager choose the block map's hash method (MakeAppx writes
     * SHA-256, other tools SHA-512), and the signature must use the same one.
     */
    private static Path appx(Path file, String hashMethod) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        files.put("AppxManifest.xml", ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
                + "<Package xmlns=\"http://schemas.microsoft.com/appx/manifest/foundation/windows10\">"
                + "<Identity Name=\"HsmSigningTest\" Publisher=\"" + APPX_PUBLISHER + "\" Version=\"1.0.0.0\"/>"
                + "<Properties><DisplayName>HSM Signing Test</DisplayName><PublisherDisplayName>HSM Signing Tests"
                + "</PublisherDisplayName><Logo>hello.txt</Logo></Properties></Package>\r\n")
                .getBytes(StandardCharsets.UTF_8));
        files.put("AppxBlockMap.xml", blockMap(hashMethod, files));
        files.put("[Content_Types].xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"txt\" ContentType=\"text/plain\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/vnd.ms-appx.manifest+xml\"/>"
                + "<Override PartName=\"/AppxBlockMap.xml\" ContentType=\"application/vnd.ms-appx.blockmap+xml\"/>"
                + "</Types>\r\n").getBytes(StandardCharsets.UTF_8));
        return zip(file, files, true);
    }

    /** A minimal MSIX bundle around {@code msix}: a SHA-384 block map, a bundle manifest naming the publisher. */
    private static Path bundle(Path file, Path msix) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("hello.msix", Files.readAllBytes(msix));
        files.put("AppxMetadata/AppxBundleManifest.xml", ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
                + "<Bundle xmlns=\"http://schemas.microsoft.com/appx/2013/bundle\" SchemaVersion=\"5.0\">"
                + "<Identity Name=\"HsmSigningTest\" Publisher=\"" + APPX_PUBLISHER + "\" Version=\"1.0.0.0\"/>"
                + "<Packages><Package Type=\"application\" Version=\"1.0.0.0\" Architecture=\"x64\" "
                + "FileName=\"hello.msix\"/></Packages></Bundle>\r\n").getBytes(StandardCharsets.UTF_8));
        files.put("AppxBlockMap.xml", blockMap("http://www.w3.org/2001/04/xmldsig-more#sha384", files));
        files.put("[Content_Types].xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"msix\" ContentType=\"application/vnd.ms-appx\"/>"
                + "<Override PartName=\"/AppxBlockMap.xml\" ContentType=\"application/vnd.ms-appx.blockmap+xml\"/>"
                + "<Override PartName=\"/AppxMetadata/AppxBundleManifest.xml\" "
                + "ContentType=\"application/vnd.ms-appx.bundlemanifest+xml\"/>"
                + "</Types>\r\n").getBytes(StandardCharsets.UTF_8));
        return zip(file, files, true);
    }

    /** The block map of {@code files}: one hash per 64 KB block of each, made with {@code hashMethod}. */
    private static byte[] blockMap(String hashMethod, Map<String, byte[]> files) {
        String algorithm = hashMethod.endsWith("sha512") ? "SHA-512" : hashMethod.endsWith("sha384") ? "SHA-384"
                : "SHA-256";
        StringBuilder blockMap = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
                + "<BlockMap xmlns=\"http://schemas.microsoft.com/appx/2010/blockmap\" HashMethod=\"" + hashMethod
                + "\">");
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] data = f.getValue();
            blockMap.append("<File Name=\"").append(f.getKey().replace('/', '\\')).append("\" Size=\"")
                    .append(data.length).append("\" LfhSize=\"").append(30 + f.getKey().length()).append("\">");
            for (int at = 0; at < data.length; at += 65536) {
                byte[] block = Arrays.copyOfRange(data, at, Math.min(data.length, at + 65536));
                blockMap.append("<Block Hash=\"").append(Base64.getEncoder().encodeToString(digest(algorithm, block)))
                        .append("\"/>");
            }
            blockMap.append("</File>");
        }
        return blockMap.append("</BlockMap>\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Path nuget(Path file) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("_rels/.rels", ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Relationships xmlns=\"http://schemas."
                + "openxmlformats.org/package/2006/relationships\"><Relationship Type=\"http://schemas.microsoft.com/"
                + "packaging/2010/07/manifest\" Target=\"/hello.nuspec\" Id=\"R1\"/></Relationships>")
                .getBytes(StandardCharsets.UTF_8));
        files.put("hello.nuspec", ("<?xml version=\"1.0\" encoding=\"utf-8\"?><package xmlns=\"http://schemas.microsoft"
                + ".com/packaging/2013/05/nuspec.xsd\"><metadata><id>Hello</id><version>1.0.0</version><authors>HSM "
                + "Signing Tests</authors><description>test</description></metadata></package>")
                .getBytes(StandardCharsets.UTF_8));
        files.put("lib/netstandard2.0/readme.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        files.put("[Content_Types].xml", ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas."
                + "openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\""
                + "application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"nuspec\" ContentType=\""
                + "application/octet\"/><Default Extension=\"txt\" ContentType=\"application/octet\"/></Types>")
                .getBytes(StandardCharsets.UTF_8));
        return zip(file, files, false);
    }

    private static Path zip(Path file, Map<String, byte[]> files, boolean stored) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                ZipEntry entry = new ZipEntry(f.getKey());
                if (stored) {
                    CRC32 crc = new CRC32();
                    crc.update(f.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(f.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(f.getValue());
                zip.closeEntry();
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            bytes.writeTo(out);
        }
        return file;
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String WXS = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            + "<Wix xmlns=\"http://schemas.microsoft.com/wix/2006/wi\">\n"
            + "  <Product Id=\"*\" Name=\"HSM Signing Test\" Language=\"1033\" Version=\"1.0.0\" "
            + "Manufacturer=\"HSM Signing Tests\" UpgradeCode=\"6f1a5d5e-8c64-4a4c-9d0b-4c0f2f5f9a11\">\n"
            + "    <Package InstallerVersion=\"200\" Compressed=\"yes\" InstallScope=\"perMachine\"/>\n"
            + "    <Media Id=\"1\" Cabinet=\"data.cab\" EmbedCab=\"yes\"/>\n"
            + "    <Directory Id=\"TARGETDIR\" Name=\"SourceDir\">\n"
            + "      <Directory Id=\"ProgramFilesFolder\">\n"
            + "        <Directory Id=\"INSTALLDIR\" Name=\"HsmSigningTest\">\n"
            + "          <Component Id=\"Readme\" Guid=\"0b8a3c1e-2f4d-4e6a-9b7c-1d2e3f4a5b6c\">\n"
            + "            <File Id=\"ReadmeTxt\" Source=\"readme.txt\"/>\n"
            + "          </Component>\n"
            + "        </Directory>\n"
            + "      </Directory>\n"
            + "    </Directory>\n"
            + "    <Feature Id=\"Main\" Level=\"1\"><ComponentRef Id=\"Readme\"/></Feature>\n"
            + "  </Product>\n"
            + "</Wix>\n";
}

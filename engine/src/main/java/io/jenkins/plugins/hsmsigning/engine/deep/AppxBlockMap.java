package io.jenkins.plugins.hsmsigning.engine.deep;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * An APPX/MSIX package's {@code AppxBlockMap.xml}: for every file of the package its size, the size of its local
 * file header and the hash of every 64 KiB block of its uncompressed data (with, for deflated files, the number of
 * compressed bytes that block takes). The package signature covers the block map, so deep signing rewrites the
 * entries of the files it signed and leaves every other byte as it was. Parsed without DTDs or external entities;
 * the rewritten text is checked against the package again before the package is signed.
 */
final class AppxBlockMap {

    static final String ENTRY = "AppxBlockMap.xml";
    static final int BLOCK = 64 * 1024;
    private static final String NAMESPACE = "http://schemas.microsoft.com/appx/2010/blockmap";
    private static final Map<String, String> METHODS = Map.of(
            "http://www.w3.org/2001/04/xmlenc#sha256", "SHA-256",
            "http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA-384",
            "http://www.w3.org/2001/04/xmlenc#sha512", "SHA-512");

    /** One block: the hash of its uncompressed bytes, and its stored size when the file is deflated (else -1). */
    record Block(byte[] hash, long compressedSize) {
    }

    /**
     * A {@code File} element as written: its tag name, start tag attributes, and content (null: empty tag). An
     * attribute value holding {@code >} is not expected in a block map; if one did, the rewritten text would not
     * match the package and the check that follows would refuse it.
     */
    private static final Pattern FILE_ELEMENT = Pattern.compile(
            "<((?:[A-Za-z_][\\w.-]*:)?File)(\\s[^>]*?)?(?:/>|>(.*?)</\\1\\s*>)", Pattern.DOTALL);
    private static final Pattern FILE_HASH_TAG = Pattern.compile("<((?:[A-Za-z_][\\w.-]*:)?)FileHash[\\s/>]");

    /** What a {@code File} element is to state instead: new attribute values, blocks and whole-file hash. */
    private record FileUpdate(Map<String, String> attributes, List<Block> blocks, byte[] fileSha256) {
    }

    private final Document document;
    private final String text;
    private final String digestAlgorithm;
    /** The files to restate, by the block map's name of the file. */
    private final Map<String, FileUpdate> updates = new HashMap<>();

    private AppxBlockMap(Document document, String text, String digestAlgorithm) {
        this.document = document;
        this.text = text;
        this.digestAlgorithm = digestAlgorithm;
    }

    static AppxBlockMap parse(byte[] xml) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
            Element root = document.getDocumentElement();
            if (!"BlockMap".equals(root.getLocalName()) || !NAMESPACE.equals(root.getNamespaceURI())) {
                throw new IOException("its " + ENTRY + " is not a block map");
            }
            String algorithm = METHODS.get(root.getAttribute("HashMethod").trim());
            if (algorithm == null) {
                throw new IOException("its " + ENTRY + " states no hash method Windows knows");
            }
            return new AppxBlockMap(document, new String(xml, StandardCharsets.UTF_8), algorithm);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("its " + ENTRY + " cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** The JCA name of the block hash algorithm the block map states. */
    String digestAlgorithm() {
        return digestAlgorithm;
    }

    MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(digestAlgorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The block map's name for the ZIP entry {@code entryName}: percent-decoded, with backslashes. */
    static String fileName(String entryName) {
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        byte[] raw = entryName.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && Character.digit(raw[i + 1], 16) >= 0
                    && Character.digit(raw[i + 2], 16) >= 0) {
                decoded.write(Character.digit(raw[i + 1], 16) * 16 + Character.digit(raw[i + 2], 16));
                i += 2;
            } else {
                decoded.write(raw[i] == '/' ? '\\' : raw[i]);
            }
        }
        return decoded.toString(StandardCharsets.UTF_8);
    }

    /** Whether the block map lists the ZIP entry {@code entryName}. */
    boolean lists(String entryName) {
        return file(entryName) != null;
    }

    /** The file's size and blocks as the block map states them, or null when it does not list it. */
    Listing listing(String entryName) {
        Element file = file(entryName);
        if (file == null) {
            return null;
        }
        NodeList children = file.getElementsByTagNameNS(NAMESPACE, "Block");
        Block[] blocks = new Block[children.getLength()];
        for (int i = 0; i < blocks.length; i++) {
            Element block = (Element) children.item(i);
            String size = block.getAttribute("Size");
            blocks[i] = new Block(Base64.getDecoder().decode(block.getAttribute("Hash").trim()),
                    size.isEmpty() ? -1 : Long.parseLong(size.trim()));
        }
        return new Listing(Long.parseLong(file.getAttribute("Size").trim()),
                Long.parseLong(file.getAttribute("LfhSize").trim()), List.of(blocks));
    }

    /** What the block map states about one file. */
    record Listing(long size, long lfhSize, List<Block> blocks) {
    }

    /**
     * States the new content of a file the block map lists: its size, local header size and blocks; and, if the
     * block map stated the file's whole hash ({@code b4:FileHash}, which packaging tools write as SHA-256 for files of
     * more than one block), its new one. The element keeps its prefix and the order of its attributes.
     */
    void replace(String entryName, long size, long lfhSize, List<Block> blocks, byte[] fileSha256)
            throws IOException {
        if (file(entryName) == null) {
            throw new IOException("its " + ENTRY + " does not list " + entryName);
        }
        Map<String, String> update = Map.of("Size", Long.toString(size), "LfhSize", Long.toString(lfhSize));
        updates.put(fileName(entryName), new FileUpdate(update, blocks, fileSha256));
    }

    /**
     * The block map with the replaced {@code File} elements rewritten and every other byte as it was, so that the
     * root element, the other files and the formatting stay exactly as the packaging tool wrote them (some readers,
     * osslsigncode among them, depend on the order of the root's attributes).
     */
    byte[] toBytes() throws IOException {
        Matcher m = FILE_ELEMENT.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 1024);
        int done = 0;
        int applied = 0;
        while (m.find()) {
            String attributes = m.group(2) == null ? "" : m.group(2);
            FileUpdate update = updates.get(unescape(attribute(attributes, "Name")));
            if (update == null) {
                continue;
            }
            out.append(text, done, m.start()).append(element(m.group(1), attributes, m.group(3), update));
            done = m.end();
            applied++;
        }
        if (applied != updates.size()) {
            throw new IOException("its " + ENTRY + " could not be rewritten: some files were not found in it as "
                    + "written");
        }
        return out.append(text, done, text.length()).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code attributes} with {@code name} set to {@code value}: in place when present, else added at the end. */
    private static String withAttribute(String attributes, String name, String value) {
        Matcher present = Pattern.compile("(\\s" + name + "\\s*=\\s*)(\"[^\"]*\"|'[^']*')").matcher(attributes);
        return present.find() ? attributes.substring(0, present.start()) + present.group(1) + '"' + value + '"'
                + attributes.substring(present.end()) : attributes + " " + name + "=\"" + value + "\"";
    }

    private static String element(String tag, String attributes, String content, FileUpdate update) {
        String start = attributes;
        for (Map.Entry<String, String> a : update.attributes().entrySet()) {
            start = withAttribute(start, a.getKey(), a.getValue());
        }
        int colon = tag.indexOf(':');
        String prefix = colon < 0 ? "" : tag.substring(0, colon + 1);
        StringBuilder e = new StringBuilder("<").append(tag).append(start).append('>');
        for (Block block : update.blocks()) {
            e.append('<').append(prefix).append("Block Hash=\"")
                    .append(Base64.getEncoder().encodeToString(block.hash())).append('"');
            if (block.compressedSize() >= 0) {
                e.append(" Size=\"").append(block.compressedSize()).append('"');
            }
            e.append("/>");
        }
        Matcher fileHash = FILE_HASH_TAG.matcher(content == null ? "" : content);
        if (fileHash.find() && update.blocks().size() > 1) {
            e.append('<').append(fileHash.group(1)).append("FileHash Hash=\"")
                    .append(Base64.getEncoder().encodeToString(update.fileSha256())).append("\"/>");
        }
        return e.append("</").append(tag).append('>').toString();
    }

    private static String attribute(String attributes, String name) {
        Matcher m = Pattern.compile("\\s" + name + "\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')").matcher(attributes);
        return !m.find() ? null : m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** The value of an attribute as the parser reads it: predefined and numeric character references resolved. */
    private static String unescape(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = Pattern.compile("&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String ref = m.group(1);
            String c = switch (ref) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> new String(Character.toChars(ref.startsWith("#x") ? Integer.parseInt(ref.substring(2), 16)
                        : Integer.parseInt(ref.substring(1))));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(c));
        }
        return m.appendTail(out).toString();
    }

    private Element file(String entryName) {
        String name = fileName(entryName);
        NodeList files = document.getDocumentElement().getElementsByTagNameNS(NAMESPACE, "File");
        for (int i = 0; i < files.getLength(); i++) {
            Element file = (Element) files.item(i);
            if (file.getParentNode() == document.getDocumentElement() && name.equals(file.getAttribute("Name"))) {
                return file;
            }
        }
        return null;
    }
}

package io.jenkins.plugins.hsmsigning.engine.deep;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * An APPX/MSIX package's {@code AppxBlockMap.xml}: for every file of the package its size, the size of its local
 * file header and the hash of every 64 KiB block of its uncompressed data (with, for deflated files, the number of
 * compressed bytes that block takes). The package signature covers the block map, so deep signing rewrites the
 * entries of the files it signed and leaves the others as they were. Parsed without DTDs or external entities.
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

    private final Document document;
    private final String digestAlgorithm;

    private AppxBlockMap(Document document, String digestAlgorithm) {
        this.document = document;
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
            return new AppxBlockMap(document, algorithm);
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

    /** States the new content of a file the block map lists: its size, local header size and blocks. */
    void replace(String entryName, long size, long lfhSize, List<Block> blocks) throws IOException {
        Element file = file(entryName);
        if (file == null) {
            throw new IOException("its " + ENTRY + " does not list " + entryName);
        }
        file.setAttribute("Size", Long.toString(size));
        file.setAttribute("LfhSize", Long.toString(lfhSize));
        for (Node child = file.getFirstChild(); child != null; child = file.getFirstChild()) {
            file.removeChild(child);
        }
        String prefix = file.getPrefix();
        for (Block block : blocks) {
            Element element = document.createElementNS(NAMESPACE, prefix == null ? "Block" : prefix + ":Block");
            element.setAttribute("Hash", Base64.getEncoder().encodeToString(block.hash()));
            if (block.compressedSize() >= 0) {
                element.setAttribute("Size", Long.toString(block.compressedSize()));
            }
            file.appendChild(element);
        }
    }

    byte[] toBytes() throws IOException {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            document.setXmlStandalone(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IOException("the new " + ENTRY + " could not be written (" + e.getMessage() + ")", e);
        }
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

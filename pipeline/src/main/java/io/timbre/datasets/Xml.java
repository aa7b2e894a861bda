package io.timbre.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.DocumentType;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Hardened DOM parsing of dataset annotation XML: no DTDs, no external entities (annotation files come from archives
 * and buckets, and an XXE in one must not read the executor's files), bounded size.
 */
public final class Xml {
  /** Largest annotation file accepted. */
  public static final int MAX_BYTES = 16 << 20;

  // A factory per thread and setting: newInstance() searches the class path for an implementation on every call, which
  // costs more than parsing a small annotation file; factories are not thread-safe, so they are not shared.
  private static final ThreadLocal<DocumentBuilderFactory> WITH_DOCTYPE = ThreadLocal.withInitial(() -> factory(true));
  private static final ThreadLocal<DocumentBuilderFactory> WITHOUT_DOCTYPE =
      ThreadLocal.withInitial(() -> factory(false));

  private Xml() {}

  private static DocumentBuilderFactory factory(boolean allowDoctype) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", !allowDoctype);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      return f;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("XML parser misconfigured", e);
    }
  }

  public static Document parse(InputStream in, String source) throws IOException {
    return parse(in, source, false);
  }

  /**
   * @param allowDoctype accept a DOCTYPE declaration (Sonic Visualiser files carry {@code <!DOCTYPE
   *     sonic-visualiser>}); external DTDs and entities are still never loaded
   */
  public static Document parse(InputStream in, String source, boolean allowDoctype) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw new IOException(source + ": larger than " + MAX_BYTES + " bytes, not an annotation file");
    }
    Document doc;
    try {
      DocumentBuilder b = (allowDoctype ? WITH_DOCTYPE : WITHOUT_DOCTYPE).get().newDocumentBuilder();
      b.setErrorHandler(null);
      doc = b.parse(new java.io.ByteArrayInputStream(bytes), source);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("XML parser misconfigured", e);
    } catch (SAXException e) {
      throw new IOException(source + ": not well-formed XML: " + e.getMessage(), e);
    } catch (IOException e) {
      // The bytes are in memory: an IOException here is about the content (an XML declaration naming an unknown
      // encoding), and its own message names no file.
      throw new IOException(source + ": unreadable XML: " + e, e);
    }
    checkBareDoctype(doc.getDoctype(), source);
    return doc;
  }

  /**
   * Accepts only a DOCTYPE that names the root element. The parser never loads an external DTD or entity, it skips
   * them, so a declared entity would vanish from the text without a word; an annotation that declares one is refused.
   */
  private static void checkBareDoctype(DocumentType doctype, String source) throws IOException {
    if (doctype == null) {
      return;
    }
    String subset = doctype.getInternalSubset();
    if (doctype.getSystemId() != null || doctype.getPublicId() != null || (subset != null && !subset.isBlank())
        || doctype.getEntities().getLength() > 0) {
      throw new IOException(source + ": its DOCTYPE declares a DTD or entities (<!DOCTYPE " + doctype.getName()
          + " …>); annotation files need none, and external ones are never loaded");
    }
  }

  /** Direct and nested elements named {@code name} below {@code parent}, in document order. */
  public static List<Element> all(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getElementsByTagName(name);
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add((Element) nodes.item(i));
    }
    return out;
  }

  /** Direct children named {@code name}. */
  public static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  /** The trimmed text of the first child named {@code name}, or null. */
  public static String text(Element parent, String name) {
    List<Element> c = children(parent, name);
    return c.isEmpty() ? null : c.get(0).getTextContent().strip();
  }
}

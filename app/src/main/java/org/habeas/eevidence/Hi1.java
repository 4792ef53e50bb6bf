package org.habeas.eevidence;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
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
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * TS 103 120 XML: the namespaces, a parser that reads no DTD and no external entity and bounds the nesting depth,
 * and small helpers to read and write elements.
 */
final class Hi1 {

    static final String CORE = "http://uri.etsi.org/03120/common/2019/10/Core";
    static final String COMMON = "http://uri.etsi.org/03120/common/2016/02/Common";
    static final String AUTH = "http://uri.etsi.org/03120/common/2020/09/Authorisation";
    static final String TASK = "http://uri.etsi.org/03120/common/2020/09/Task";
    static final String DOC = "http://uri.etsi.org/03120/common/2020/09/Document";
    static final String NOTIFICATION = "http://uri.etsi.org/03120/common/2016/02/Notification";
    static final String DELIVERY = "http://uri.etsi.org/03120/common/2019/10/Delivery";
    static final String CONFIG = "http://uri.etsi.org/03120/common/2024/06/Config";
    static final String XSI = XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;

    private Hi1() {
    }

    /**
     * Parses a message: namespace-aware, no DOCTYPE at all (so no entity of any kind, internal or external), no
     * XInclude, no access to any URL, at most {@code maxDepth} nested elements.
     *
     * @throws Hi1Fault 3020 when the bytes are not well-formed XML or break a limit
     */
    static Document parse(byte[] bytes, int maxDepth) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setAttribute("jdk.xml.maxElementDepth", String.valueOf(maxDepth));
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(QUIET);
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not read");
            });
            return b.parse(new ByteArrayInputStream(bytes));
        } catch (SAXParseException e) {
            throw Hi1Fault.message(Hi1Fault.VALIDATION, "The message is not well-formed XML that Habeas reads (line "
                    + e.getLineNumber() + "): " + brief(e.getMessage()));
        } catch (SAXException | IOException e) {
            throw Hi1Fault.message(Hi1Fault.VALIDATION, "The message is not XML that Habeas reads: " + brief(e.getMessage()));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a secure-processing feature", e);
        }
    }

    /** A parser message without the parser's own prefixes, bounded, on one line. */
    static String brief(String message) {
        String m = message == null ? "" : message.replaceAll("\\s+", " ").strip();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    private static final ErrorHandler QUIET = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    static List<Element> children(Element parent, String ns, String local) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName()) && ns.equals(e.getNamespaceURI())) {
                out.add(e);
            }
        }
        return out;
    }

    static List<Element> elements(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    static Optional<Element> child(Element parent, String ns, String local) {
        List<Element> c = children(parent, ns, local);
        return c.isEmpty() ? Optional.empty() : Optional.of(c.getFirst());
    }

    /** The element at a path of (namespace, local name) pairs below {@code parent}. */
    static Optional<Element> path(Element parent, String... nsAndNames) {
        Optional<Element> e = Optional.ofNullable(parent);
        for (int i = 0; i < nsAndNames.length && e.isPresent(); i += 2) {
            String ns = nsAndNames[i];
            String name = nsAndNames[i + 1];
            e = e.flatMap(p -> child(p, ns, name));
        }
        return e;
    }

    static Optional<String> text(Element parent, String ns, String local) {
        return child(parent, ns, local).map(e -> e.getTextContent().strip()).filter(s -> !s.isEmpty());
    }

    /** An object's {@code xsi:type} as {namespace, local name}. */
    static Optional<String[]> xsiType(Element object) {
        String type = object.getAttributeNS(XSI, "type");
        if (type.isEmpty()) {
            return Optional.empty();
        }
        int colon = type.indexOf(':');
        String prefix = colon < 0 ? null : type.substring(0, colon);
        String local = colon < 0 ? type : type.substring(colon + 1);
        String ns = object.lookupNamespaceURI(prefix);
        return Optional.of(new String[] {ns, local});
    }

    static Element add(Element parent, String ns, String qualifiedName) {
        Element e = parent.getOwnerDocument().createElementNS(ns, qualifiedName);
        parent.appendChild(e);
        return e;
    }

    static Element add(Element parent, String ns, String qualifiedName, String text) {
        Element e = add(parent, ns, qualifiedName);
        e.setTextContent(text);
        return e;
    }

    static Document newDocument() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return f.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String write(Document doc) {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            doc.setXmlStandalone(true);
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.habeas.eevidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.w3c.dom.Document;
import org.w3c.dom.ls.LSInput;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The TS 103 120 XML schemas, when the operator provides them: every {@code .xsd} under the configured folders,
 * found by target namespace (ETSI's schemas import each other by namespace alone). Habeas cannot ship ETSI's files;
 * it ships only its reconstructions of the namespaces whose XSDs ETSI publishes as JSON schema only
 * (Authorisation, Document, Notification, Dictionaries) and a stub for XML-DSig, each used when the folders do not
 * hold that namespace.
 */
final class Hi1Schemas {

    private static final Pattern TARGET = Pattern.compile("targetNamespace\\s*=\\s*\"([^\"]+)\"");
    private static final List<String> BUNDLED = List.of("habeas_103120_Authorisation.xsd", "habeas_103120_Document.xsd",
            "habeas_103120_Notification.xsd", "habeas_103280_Dictionaries.xsd", "habeas_xmldsig_stub.xsd");

    private final Schema schema;
    private final Map<String, String> sources;

    private Hi1Schemas(Schema schema, Map<String, String> sources) {
        this.schema = schema;
        this.sources = sources;
    }

    /** The schemas under these folders, or empty when none is configured. */
    static Optional<Hi1Schemas> load(List<Path> folders) {
        if (folders == null || folders.isEmpty()) {
            return Optional.empty();
        }
        Map<String, byte[]> byNamespace = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                throw new IllegalStateException("habeas.eevidence.schemas: " + folder + " is not a folder");
            }
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".xsd")).sorted().toList()) {
                    byte[] bytes = Files.readAllBytes(p);
                    String ns = target(bytes);
                    if (ns != null && !byNamespace.containsKey(ns)) {
                        byNamespace.put(ns, bytes);
                        sources.put(ns, p.toString());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!byNamespace.containsKey(Hi1.CORE)) {
            throw new IllegalStateException("habeas.eevidence.schemas: no schema for " + Hi1.CORE + " under " + folders);
        }
        for (String name : BUNDLED) {
            URL url = Hi1Schemas.class.getResource("/eevidence/xsd/" + name);
            try (InputStream in = url.openStream()) {
                byte[] bytes = in.readAllBytes();
                String ns = target(bytes);
                if (!byNamespace.containsKey(ns)) {
                    byNamespace.put(ns, bytes);
                    sources.put(ns, "Habeas " + name);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setResourceResolver((type, namespace, publicId, systemId, baseUri) -> {
                byte[] bytes = byNamespace.get(namespace);
                return bytes == null ? null : input(namespace, bytes);
            });
            List<StreamSource> all = new ArrayList<>();
            byNamespace.forEach((ns, bytes) -> all.add(new StreamSource(new java.io.ByteArrayInputStream(bytes), ns)));
            return Optional.of(new Hi1Schemas(f.newSchema(all.toArray(new StreamSource[0])), sources));
        } catch (SAXException e) {
            throw new IllegalStateException("habeas.eevidence.schemas: the schemas do not compile: " + e.getMessage(), e);
        }
    }

    /** Where each namespace's schema came from. */
    Map<String, String> sources() {
        return sources;
    }

    /**
     * Validates a parsed message.
     *
     * @throws Hi1Fault 3020 naming the element and the line at fault
     */
    void validate(Document message) {
        try {
            Validator v = schema.newValidator();
            v.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            v.validate(new DOMSource(message));
        } catch (SAXParseException e) {
            throw Hi1Fault.message(Hi1Fault.VALIDATION, "The message does not validate against the TS 103 120 schemas: "
                    + Hi1.brief(e.getMessage()));
        } catch (SAXException e) {
            throw Hi1Fault.message(Hi1Fault.VALIDATION, "The message does not validate against the TS 103 120 schemas: "
                    + Hi1.brief(e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String target(byte[] xsd) {
        String head = new String(xsd, 0, Math.min(xsd.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
        Matcher m = TARGET.matcher(head);
        return m.find() ? m.group(1) : null;
    }

    private static LSInput input(String namespace, byte[] bytes) {
        return new LSInput() {
            public java.io.Reader getCharacterStream() { return null; }
            public void setCharacterStream(java.io.Reader r) { }
            public InputStream getByteStream() { return new java.io.ByteArrayInputStream(bytes); }
            public void setByteStream(InputStream s) { }
            public String getStringData() { return null; }
            public void setStringData(String s) { }
            public String getSystemId() { return namespace; }
            public void setSystemId(String s) { }
            public String getPublicId() { return null; }
            public void setPublicId(String s) { }
            public String getBaseURI() { return null; }
            public void setBaseURI(String s) { }
            public String getEncoding() { return null; }
            public void setEncoding(String s) { }
            public boolean getCertifiedText() { return false; }
            public void setCertifiedText(boolean b) { }
        };
    }
}

package org.habeas.disclosure;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.habeas.ledger.Merkle;
import org.habeas.ledger.Note;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.jwk.ECKey;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Production packages: a ZIP of {@code manifest.json} (what, for which case, the SHA-256 of every file),
 * {@code manifest.sig} (the operator's Ed25519 signature over the manifest, base64) and the files; encrypted for
 * the recipient agency's P-256 key as a JWE (ECDH-ES+A256KW, A256GCM, nimbus-jose-jwt). The checks a recipient
 * runs are here too.
 */
public final class Packages {

    private Packages() {
    }

    /** The failure of a check, with the reason. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    public static byte[] zip(byte[] manifest, byte[] signature, Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, "manifest.json", manifest);
            put(zip, "manifest.sig", Base64.getEncoder().encode(signature));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                put(zip, "files/" + f.getKey(), f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    public static Map<String, byte[]> unzip(byte[] zip) throws Invalid {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new Invalid("not a package: " + e.getMessage());
        }
        return out;
    }

    public static String encrypt(byte[] zip, ECKey recipient) {
        return encrypt(zip, "application/zip", recipient);
    }

    /** Encrypts any content for the recipient's key, as a package is (ECDH-ES+A256KW, A256GCM). */
    public static String encrypt(byte[] content, String contentType, ECKey recipient) {
        try {
            JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM)
                    .keyID(recipient.getKeyID()).contentType(contentType).build(), new Payload(content));
            jwe.encrypt(new ECDHEncrypter(recipient.toPublicJWK()));
            return jwe.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot encrypt the package", e);
        }
    }

    /** Decrypts a package with the recipient's private key. */
    public static byte[] decrypt(String jwe, ECKey recipientPrivate) throws Invalid {
        try {
            JWEObject o = JWEObject.parse(jwe);
            o.decrypt(new ECDHDecrypter(recipientPrivate));
            return o.getPayload().toBytes();
        } catch (ParseException | JOSEException e) {
            throw new Invalid("cannot decrypt the package with this key: " + e.getMessage());
        }
    }

    /**
     * Checks a decrypted package: the manifest's signature by the operator's key, and every file against its
     * SHA-256 in the manifest, with no file missing or added. Returns the manifest.
     */
    public static JsonNode check(byte[] zip, Note.Verifier operator) throws Invalid {
        return check(unzip(zip), operator);
    }

    /**
     * The same checks on the package's entries; with {@code operator} null the signature is not checked (the
     * caller says so), the files still are.
     */
    public static JsonNode check(Map<String, byte[]> entries, Note.Verifier operator) throws Invalid {
        byte[] manifest = entries.get("manifest.json");
        byte[] sig = entries.get("manifest.sig");
        if (manifest == null || sig == null) {
            throw new Invalid("the package has no signed manifest");
        }
        if (operator != null) {
            try {
                verifyRaw(operator, manifest, Base64.getDecoder().decode(sig));
            } catch (IllegalArgumentException e) {
                throw new Invalid("the manifest signature is not base64");
            }
        }
        for (String name : entries.keySet()) {
            java.nio.file.Path p = java.nio.file.Path.of(name).normalize();
            if (name.contains("\\") || p.isAbsolute() || p.startsWith("..") || !p.toString().equals(name)) {
                throw new Invalid("the package holds an entry with an unsafe name: " + name);
            }
        }
        JsonNode m;
        try {
            m = JsonMapper.builder().build().readTree(manifest);
        } catch (RuntimeException e) {
            throw new Invalid("the manifest is not JSON");
        }
        int listed = 0;
        for (JsonNode f : m.path("files")) {
            listed++;
            byte[] content = entries.get("files/" + f.path("name").stringValue());
            if (content == null) {
                throw new Invalid("file " + f.path("name").stringValue() + " is missing");
            }
            String sha = HexFormat.of().formatHex(Merkle.sha256().digest(content));
            if (!MessageDigest.isEqual(sha.getBytes(StandardCharsets.US_ASCII),
                    f.path("sha256").stringValue().getBytes(StandardCharsets.US_ASCII))) {
                throw new Invalid("file " + f.path("name").stringValue() + " does not match its SHA-256 in the manifest");
            }
        }
        long files = entries.keySet().stream().filter(k -> k.startsWith("files/")).count();
        if (files != listed) {
            throw new Invalid("the package holds " + files + " files but the manifest lists " + listed);
        }
        return m;
    }

    private static void verifyRaw(Note.Verifier operator, byte[] message, byte[] signature) throws Invalid {
        if (!operator.verifies(message, signature)) {
            throw new Invalid("the manifest's signature does not verify with the operator's key");
        }
    }
}

package org.habeas.ledger;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * C2SP signed notes with Ed25519: a text ending in a newline, a blank line, then signature lines
 * {@code — <name> base64(keyID || signature)}. The key ID is the first four bytes of
 * {@code SHA-256(name || 0x0A || type || public key)}, type 0x01 for Ed25519 (0x04 for timestamped cosignatures).
 */
public final class Note {

    public static final byte ED25519 = 0x01;
    public static final byte COSIGNATURE_V1 = 0x04;
    static final String DASH = "\u2014 ";
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** One signature line. */
    public record Sig(String name, byte[] keyId, byte[] signature) {
        public String line() {
            byte[] both = new byte[4 + signature.length];
            System.arraycopy(keyId, 0, both, 0, 4);
            System.arraycopy(signature, 0, both, 4, signature.length);
            return DASH + name + " " + Base64.getEncoder().encodeToString(both) + "\n";
        }
    }

    /** A parsed note: its text (with the final newline) and its signatures. */
    public record Parsed(String text, List<Sig> signatures) {
    }

    /** An Ed25519 public key under a name, as verifiers hold it: {@code name+hex(keyID)+base64(0x01 || key)}. */
    public record Verifier(String name, byte type, byte[] publicKey) {

        public byte[] keyId() {
            return Note.keyId(name, type, publicKey);
        }

        public String encoded() {
            byte[] typed = new byte[1 + publicKey.length];
            typed[0] = type;
            System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
            return name + "+" + HexFormat.of().formatHex(keyId()) + "+" + Base64.getEncoder().encodeToString(typed);
        }

        public static Verifier parse(String vkey) {
            String[] parts = vkey.strip().split("\\+", 3);
            if (parts.length != 3 || parts[0].isEmpty()) {
                throw new IllegalArgumentException("a verifier key is name+keyid+key");
            }
            byte[] typed = Base64.getDecoder().decode(parts[2]);
            if (typed.length != 33 || (typed[0] != ED25519 && typed[0] != COSIGNATURE_V1)) {
                throw new IllegalArgumentException("only Ed25519 verifier keys are supported");
            }
            Verifier v = new Verifier(parts[0], typed[0], Arrays.copyOfRange(typed, 1, 33));
            if (!HexFormat.of().formatHex(v.keyId()).equals(parts[1])) {
                throw new IllegalArgumentException("the key id does not match the key");
            }
            return v;
        }

        /** Whether {@code signature} is this key's Ed25519 signature over {@code message}. */
        public boolean verifies(byte[] message, byte[] signature) {
            return ed25519Valid(this, message, signature);
        }

        PublicKey javaKey() throws GeneralSecurityException {
            byte[] der = new byte[X509_PREFIX.length + 32];
            System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
            System.arraycopy(publicKey, 0, der, X509_PREFIX.length, 32);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        }
    }

    private Note() {
    }

    public static byte[] keyId(String name, byte type, byte[] publicKey) {
        MessageDigest d = Merkle.sha256();
        d.update(name.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0x0A);
        d.update(type);
        d.update(publicKey);
        return Arrays.copyOf(d.digest(), 4);
    }

    /** The raw 32-byte Ed25519 public key of a Java key. */
    public static byte[] raw(PublicKey key) {
        byte[] der = key.getEncoded();
        return Arrays.copyOfRange(der, der.length - 32, der.length);
    }

    public static byte[] ed25519(PrivateKey key, byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Signs a note text (which must end in a newline) as {@code name}. */
    public static Sig sign(String text, String name, PrivateKey key, PublicKey publicKey) {
        checkText(text);
        return new Sig(name, keyId(name, ED25519, raw(publicKey)), ed25519(key, text.getBytes(StandardCharsets.UTF_8)));
    }

    public static String format(String text, List<Sig> signatures) {
        StringBuilder out = new StringBuilder(text).append('\n');
        signatures.forEach(s -> out.append(s.line()));
        return out.toString();
    }

    public static Parsed parse(String note) {
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new IllegalArgumentException("a signed note has a blank line before its signatures");
        }
        String text = note.substring(0, split + 1);
        checkText(text);
        String[] lines = note.substring(split + 2).split("\n", -1);
        List<Sig> sigs = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                break;
            }
            if (!line.startsWith(DASH)) {
                throw new IllegalArgumentException("not a signature line: " + line);
            }
            String[] parts = line.substring(DASH.length()).split(" ");
            if (parts.length != 2) {
                throw new IllegalArgumentException("a signature line is '— name base64'");
            }
            byte[] both = Base64.getDecoder().decode(parts[1]);
            if (both.length < 5) {
                throw new IllegalArgumentException("signature too short");
            }
            sigs.add(new Sig(parts[0], Arrays.copyOf(both, 4), Arrays.copyOfRange(both, 4, both.length)));
        }
        if (sigs.isEmpty()) {
            throw new IllegalArgumentException("the note has no signature");
        }
        if (!note.endsWith("\n")) {
            throw new IllegalArgumentException("a signed note ends with a newline");
        }
        return new Parsed(text, sigs);
    }

    /**
     * Verifies a note's signature by a known Ed25519 key. Signatures by unknown keys are ignored; a known key's
     * signature that fails rejects the note.
     *
     * @throws Merkle.ProofException if the key did not sign it or its signature is bad
     */
    public static void verify(Parsed note, Verifier v) throws Merkle.ProofException {
        boolean found = false;
        for (Sig s : note.signatures()) {
            if (s.name().equals(v.name()) && Arrays.equals(s.keyId(), v.keyId())) {
                found = true;
                if (!ed25519Valid(v, note.text().getBytes(StandardCharsets.UTF_8), s.signature())) {
                    throw new Merkle.ProofException("the signature of " + v.name() + " does not match the note");
                }
            }
        }
        if (!found) {
            throw new Merkle.ProofException("the note is not signed by " + v.name() + " (key "
                    + HexFormat.of().formatHex(v.keyId()) + ")");
        }
    }

    static boolean ed25519Valid(Verifier v, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(v.javaKey());
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void checkText(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("a note's text ends with a newline");
        }
    }
}

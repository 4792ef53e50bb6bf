package org.habeas.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * The log's Ed25519 signing key: generated on first start and kept in a file readable only by its owner, outside
 * the database ({@code $HABEAS_HOME/ledger/log-key}). The file holds the PKCS#8 private key and the X.509 public
 * key, base64, one per line.
 */
public final class LogKey {

    private final String name;
    private final KeyPair pair;

    private LogKey(String name, KeyPair pair) {
        this.name = name;
        this.pair = pair;
    }

    public static LogKey loadOrCreate(Path file, String name) throws IOException {
        try {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                KeyFactory f = KeyFactory.getInstance("Ed25519");
                PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(lines.get(0))));
                PublicKey pub = f.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(lines.get(1))));
                return new LogKey(name, new KeyPair(pub, priv));
            }
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n"
                    + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n",
                    StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new LogKey(name, pair);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("cannot read the log key " + file + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public Note.Verifier verifier() {
        return new Note.Verifier(name, Note.ED25519, Note.raw(pair.getPublic()));
    }

    public Note.Sig sign(String text) {
        return Note.sign(text, name, pair.getPrivate(), pair.getPublic());
    }

    /** A bare Ed25519 signature over bytes (production manifests). */
    public byte[] signRaw(byte[] message) {
        return Note.ed25519(pair.getPrivate(), message);
    }

    /** As a witness: a cosignature on another log's checkpoint. */
    public Note.Sig cosign(String checkpointBody, long time) {
        return Cosignature.sign(checkpointBody, time, name, pair.getPrivate(), pair.getPublic());
    }

    public Note.Verifier cosignatureVerifier() {
        return Cosignature.verifier(name, pair.getPublic());
    }
}

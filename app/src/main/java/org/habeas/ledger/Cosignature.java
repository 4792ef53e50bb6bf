package org.habeas.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * C2SP tlog-cosignature/v1 with Ed25519: the witness signs {@code cosignature/v1\ntime <unix seconds>\n} followed
 * by the checkpoint body; the signature field is the 8-byte big-endian timestamp followed by the signature, and the
 * key ID uses type 0x04.
 */
public final class Cosignature {

    private Cosignature() {
    }

    public static byte[] message(String checkpointBody, long time) {
        return ("cosignature/v1\ntime " + time + "\n" + checkpointBody).getBytes(StandardCharsets.UTF_8);
    }

    public static Note.Sig sign(String checkpointBody, long time, String name, PrivateKey key, PublicKey publicKey) {
        byte[] sig = Note.ed25519(key, message(checkpointBody, time));
        byte[] field = ByteBuffer.allocate(8 + sig.length).putLong(time).put(sig).array();
        return new Note.Sig(name, Note.keyId(name, Note.COSIGNATURE_V1, Note.raw(publicKey)), field);
    }

    /** The verifier key of a witness: as a signed-note verifier, with type 0x04. */
    public static Note.Verifier verifier(String name, PublicKey key) {
        return new Note.Verifier(name, Note.COSIGNATURE_V1, Note.raw(key));
    }

    /** Checks a cosignature line on a checkpoint; returns its timestamp. */
    public static long verify(String checkpointBody, Note.Sig sig, Note.Verifier witness) throws Merkle.ProofException {
        if (!java.util.Arrays.equals(sig.keyId(), witness.keyId()) || !sig.name().equals(witness.name())) {
            throw new Merkle.ProofException("not a cosignature of " + witness.name());
        }
        if (sig.signature().length != 8 + 64) {
            throw new Merkle.ProofException("a cosignature is a timestamp and a 64-byte signature");
        }
        ByteBuffer b = ByteBuffer.wrap(sig.signature());
        long time = b.getLong();
        byte[] s = new byte[64];
        b.get(s);
        if (!Note.ed25519Valid(witness, message(checkpointBody, time), s)) {
            throw new Merkle.ProofException("the cosignature of " + witness.name() + " does not match the checkpoint");
        }
        return time;
    }
}

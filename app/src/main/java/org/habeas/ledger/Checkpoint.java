package org.habeas.ledger;

import java.util.Base64;

/**
 * A C2SP tlog-checkpoint body: origin, decimal tree size, base64 root hash, each on its own line, then any optional
 * extension lines (opaque, non-empty). Habeas's own checkpoints have none; a parsed checkpoint keeps them only in
 * the note text that was signed, which is what a cosignature covers.
 */
public record Checkpoint(String origin, long size, byte[] root) {

    public Checkpoint {
        if (origin == null || origin.isBlank() || origin.contains("\n")) {
            throw new IllegalArgumentException("a checkpoint needs a one-line origin");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
        if (root == null || root.length != Merkle.HASH_SIZE) {
            throw new IllegalArgumentException("the root is 32 bytes");
        }
    }

    public String body() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    /** Reads a checkpoint body (the text of a signed note); extension lines are allowed and not interpreted. */
    public static Checkpoint parse(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length < 4 || !lines[lines.length - 1].isEmpty()) {
            throw new IllegalArgumentException("a checkpoint is three lines: origin, size, root, then extension lines");
        }
        for (int i = 3; i < lines.length - 1; i++) {
            if (lines[i].isEmpty()) {
                throw new IllegalArgumentException("extension line " + (i - 2) + " is empty");
            }
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("the size is not a decimal number: " + lines[1]);
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the root is not base64");
        }
        return new Checkpoint(lines[0], Long.parseLong(lines[1]), root);
    }
}

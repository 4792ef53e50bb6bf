package org.habeas.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;

import org.junit.jupiter.api.Test;

/** C2SP tlog-tiles paths and widths, signed notes, checkpoints and cosignatures. */
class TilesAndNotesTest {

    @Test
    void tileIndexesUseThreeDigitGroups() {
        assertThat(Tiles.encode(1234067)).isEqualTo("x001/x234/067");
        assertThat(Tiles.encode(0)).isEqualTo("000");
        assertThat(Tiles.encode(999)).isEqualTo("999");
        assertThat(Tiles.encode(1000)).isEqualTo("x001/000");
        assertThat(new Tiles.Tile(1, 1234067, 8).path()).isEqualTo("tile/1/x001/x234/067.p/8");
        assertThat(new Tiles.Tile(0, 5, 256).entriesPath()).isEqualTo("tile/entries/005");
        assertThat(Tiles.parse("1/x001/x234/067.p/8")).isEqualTo(new Tiles.Tile(1, 1234067, 8));
        assertThat(Tiles.parse("0/000")).isEqualTo(new Tiles.Tile(0, 0, 256));
        for (String bad : List.of("0/1", "0/x000/001", "0/000.p/0", "0/000.p/256", "01/000", "64/000", "0/1234")) {
            assertThatThrownBy(() -> Tiles.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aTreeHasFullTilesAndOnePartialTilePerLevel() {
        List<Tiles.Tile> level0 = Tiles.tilesAt(0, 70_000);
        assertThat(level0).hasSize(274);
        assertThat(level0.get(273)).isEqualTo(new Tiles.Tile(0, 273, 70_000 % 256));
        assertThat(Tiles.tilesAt(1, 70_000)).containsExactly(new Tiles.Tile(1, 0, 256), new Tiles.Tile(1, 1, 17));
        assertThat(Tiles.tilesAt(2, 70_000)).containsExactly(new Tiles.Tile(2, 0, 1));
        assertThat(Tiles.all(70_000)).hasSize(274 + 2 + 1);
        assertThat(Tiles.all(256)).containsExactly(new Tiles.Tile(0, 0, 256), new Tiles.Tile(1, 0, 1));
        // the hash of leaves [256, 512) at Merkle level 8 is in tile (1, 0); level 3 hashes come from level 0 tiles
        assertThat(Tiles.tileFor(8, 1, 70_000)).isEqualTo(new Tiles.Tile(1, 0, 256));
        assertThat(Tiles.tileFor(3, 40, 70_000)).isEqualTo(new Tiles.Tile(0, 1, 256));
    }

    @Test
    void aPublishedVerifierKeyHasTheKeyIdTheSpecificationComputes() {
        // the Go checksum database's published verifier key
        Note.Verifier sumdb = Note.Verifier.parse("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8");
        assertThat(sumdb.name()).isEqualTo("sum.golang.org");
        assertThat(sumdb.encoded()).isEqualTo("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8");
        assertThatThrownBy(() -> Note.Verifier.parse("sum.golang.org+033de0af+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"))
                .hasMessageContaining("key id");
    }

    @Test
    void aSignedCheckpointVerifiesAndAnyChangeIsRejected() throws Exception {
        KeyPair log = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Note.Verifier vkey = new Note.Verifier("habeas.example/log", Note.ED25519, Note.raw(log.getPublic()));
        Checkpoint cp = new Checkpoint("habeas.example/log", 20852163, Merkle.leafHash(new byte[] {7}));
        String signed = Note.format(cp.body(), List.of(
                Note.sign(cp.body(), "someone.else/key", other.getPrivate(), other.getPublic()),
                Note.sign(cp.body(), "habeas.example/log", log.getPrivate(), log.getPublic())));

        assertThat(signed).startsWith("habeas.example/log\n20852163\n").contains("\n\u2014 habeas.example/log ");
        Note.Parsed parsed = Note.parse(signed);
        Note.verify(parsed, vkey); // the unknown signer is ignored
        assertThat(Checkpoint.parse(parsed.text()).size()).isEqualTo(20852163);

        Note.Parsed tampered = Note.parse(signed.replace("20852163", "20852164"));
        assertThatThrownBy(() -> Note.verify(tampered, vkey)).hasMessageContaining("does not match");
        Note.Verifier stranger = new Note.Verifier("habeas.example/log", Note.ED25519, Note.raw(other.getPublic()));
        assertThatThrownBy(() -> Note.verify(parsed, stranger)).hasMessageContaining("not signed by");
        assertThatThrownBy(() -> Checkpoint.parse("o\n012\nAAAA\n")).hasMessageContaining("decimal");
        String root = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        // C2SP tlog-checkpoint: optional non-empty extension lines follow the root
        assertThat(Checkpoint.parse("o\n12\n" + root + "\nextension\nanother\n").size()).isEqualTo(12);
        assertThatThrownBy(() -> Checkpoint.parse("o\n12\n" + root + "\nextension\n\nafter\n"))
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> Checkpoint.parse("o\n12\n")).hasMessageContaining("three lines");
        assertThat(Note.Verifier.parse(vkey.encoded()).encoded()).isEqualTo(vkey.encoded());
    }

    @Test
    void aCosignatureCoversTheTimeAndTheCheckpoint() throws Exception {
        KeyPair witness = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Checkpoint cp = new Checkpoint("habeas.example/log", 5, Merkle.leafHash(new byte[] {1}));
        Note.Sig cosig = Cosignature.sign(cp.body(), 1_700_000_000L, "witness.example/w1", witness.getPrivate(),
                witness.getPublic());
        Note.Verifier w = Cosignature.verifier("witness.example/w1", witness.getPublic());
        assertThat(Cosignature.verify(cp.body(), cosig, w)).isEqualTo(1_700_000_000L);
        Checkpoint other = new Checkpoint("habeas.example/log", 6, Merkle.leafHash(new byte[] {1}));
        assertThatThrownBy(() -> Cosignature.verify(other.body(), cosig, w)).hasMessageContaining("does not match");
        // an Ed25519 (type 0x01) key of the same name has another key id: no confusion between the two roles
        assertThat(new Note.Verifier("witness.example/w1", Note.ED25519, Note.raw(witness.getPublic())).keyId())
                .isNotEqualTo(w.keyId());
    }
}

package org.habeas.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9162 hashing and proofs: the published transparency-dev/merkle vectors, the mutations their generator
 * applies to each valid proof, the RFC 6962 reference tree, and properties over random trees.
 */
class MerkleTest {

    /** The leaves of the RFC 6962 reference tree the published vectors are built on. */
    private static final String[] REFERENCE_LEAVES = {"", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f"};

    private static JsonNode vectors() throws Exception {
        try (InputStream in = MerkleTest.class.getResourceAsStream("/ledger/merkle-vectors.json")) {
            return JsonMapper.builder().build().readTree(in);
        }
    }

    private static byte[] b64(JsonNode n) {
        return Base64.getDecoder().decode(n.stringValue());
    }

    private static List<byte[]> proof(JsonNode n) {
        List<byte[]> out = new ArrayList<>();
        if (n != null && !n.isNull()) {
            n.forEach(p -> out.add(b64(p)));
        }
        return out;
    }

    @Test
    void thePublishedInclusionVectorsPassAndFailAsPublished() throws Exception {
        int checked = 0;
        for (JsonNode v : vectors().get("inclusion")) {
            boolean ok = valid(() -> Merkle.verifyInclusion(v.get("leafIdx").asLong(), v.get("treeSize").asLong(),
                    b64(v.get("leafHash")), proof(v.get("proof")), b64(v.get("root"))));
            assertThat(ok).as(v.get("file").stringValue()).isEqualTo(!v.get("wantErr").asBoolean());
            checked++;
        }
        assertThat(checked).isEqualTo(6);
    }

    @Test
    void thePublishedConsistencyVectorsPassAndFailAsPublished() throws Exception {
        int checked = 0;
        for (JsonNode v : vectors().get("consistency")) {
            boolean ok = valid(() -> Merkle.verifyConsistency(v.get("size1").asLong(), v.get("size2").asLong(),
                    b64(v.get("root1")), b64(v.get("root2")), proof(v.get("proof"))));
            assertThat(ok).as(v.get("file").stringValue()).isEqualTo(!v.get("wantErr").asBoolean());
            checked++;
        }
        assertThat(checked).isEqualTo(6);
    }

    @Test
    void everyMutationOfAValidInclusionProofFails() throws Exception {
        for (JsonNode v : vectors().get("inclusion")) {
            if (v.get("wantErr").asBoolean()) {
                continue;
            }
            long index = v.get("leafIdx").asLong();
            long size = v.get("treeSize").asLong();
            byte[] leaf = b64(v.get("leafHash"));
            byte[] root = b64(v.get("root"));
            List<byte[]> proof = proof(v.get("proof"));
            String name = v.get("file").stringValue();
            assertInvalid(name + " wrong leaf", () -> Merkle.verifyInclusion(index, size, flip(leaf, 3), proof, root));
            assertInvalid(name + " index+1", () -> Merkle.verifyInclusion(index + 1, size, leaf, proof, root));
            assertInvalid(name + " index-1", () -> Merkle.verifyInclusion(index - 1, size, leaf, proof, root));
            assertInvalid(name + " index^2", () -> Merkle.verifyInclusion(index ^ 2, size, leaf, proof, root));
            assertInvalid(name + " size*2", () -> Merkle.verifyInclusion(index, size * 2, leaf, proof, root));
            assertInvalid(name + " size/2", () -> Merkle.verifyInclusion(index, size / 2, leaf, proof, root));
            assertInvalid(name + " empty root", () -> Merkle.verifyInclusion(index, size, leaf, proof, new byte[0]));
            assertInvalid(name + " random root", () -> Merkle.verifyInclusion(index, size, leaf, proof, flip(root, 17)));
            assertInvalid(name + " trailing garbage", () -> Merkle.verifyInclusion(index, size, leaf,
                    with(proof, l -> { l.add(Merkle.leafHash(new byte[] {1})); return l; }), root));
            assertInvalid(name + " preceding garbage", () -> Merkle.verifyInclusion(index, size, leaf,
                    with(proof, l -> { l.add(0, Merkle.leafHash(new byte[] {1})); return l; }), root));
            for (int i = 0; i < proof.size(); i++) {
                int at = i;
                assertInvalid(name + " modified proof[" + i + "]", () -> Merkle.verifyInclusion(index, size, leaf,
                        with(proof, l -> { l.set(at, flip(l.get(at), 3)); return l; }), root));
                assertInvalid(name + " removed proof[" + i + "]", () -> Merkle.verifyInclusion(index, size, leaf,
                        with(proof, l -> { l.remove(at); return l; }), root));
            }
        }
    }

    @Test
    void everyMutationOfAValidConsistencyProofFails() throws Exception {
        for (JsonNode v : vectors().get("consistency")) {
            if (v.get("wantErr").asBoolean() || v.get("size1").asLong() == v.get("size2").asLong()) {
                continue;
            }
            long s1 = v.get("size1").asLong();
            long s2 = v.get("size2").asLong();
            byte[] r1 = b64(v.get("root1"));
            byte[] r2 = b64(v.get("root2"));
            List<byte[]> proof = proof(v.get("proof"));
            String name = v.get("file").stringValue();
            assertInvalid(name + " swapped roots", () -> Merkle.verifyConsistency(s1, s2, r2, r1, proof));
            assertInvalid(name + " wrong root1", () -> Merkle.verifyConsistency(s1, s2, flip(r1, 5), r2, proof));
            assertInvalid(name + " wrong root2", () -> Merkle.verifyConsistency(s1, s2, r1, flip(r2, 5), proof));
            assertInvalid(name + " size1+1", () -> Merkle.verifyConsistency(s1 + 1, s2, r1, r2, proof));
            assertInvalid(name + " size1-1", () -> Merkle.verifyConsistency(s1 - 1, s2, r1, r2, proof));
            assertInvalid(name + " size2*2", () -> Merkle.verifyConsistency(s1, s2 * 2, r1, r2, proof));
            assertInvalid(name + " size2/2", () -> Merkle.verifyConsistency(s1, s2 / 2, r1, r2, proof));
            assertInvalid(name + " empty proof", () -> Merkle.verifyConsistency(s1, s2, r1, r2, List.of()));
            assertInvalid(name + " trailing garbage", () -> Merkle.verifyConsistency(s1, s2, r1, r2,
                    with(proof, l -> { l.add(Merkle.leafHash(new byte[] {2})); return l; })));
            assertInvalid(name + " truncated", () -> Merkle.verifyConsistency(s1, s2, r1, r2,
                    with(proof, l -> { l.remove(l.size() - 1); return l; })));
            for (int i = 0; i < proof.size(); i++) {
                int at = i;
                assertInvalid(name + " modified proof[" + i + "]", () -> Merkle.verifyConsistency(s1, s2, r1, r2,
                        with(proof, l -> { l.set(at, flip(l.get(at), 4)); return l; })));
            }
        }
    }

    @Test
    void theReferenceTreeHasThePublishedRootsAndProofs() throws Exception {
        MemoryTree tree = new MemoryTree();
        for (String leaf : REFERENCE_LEAVES) {
            tree.appendData(HexFormat.of().parseHex(leaf));
        }
        assertThat(b64s(tree.root(1))).isEqualTo("bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=");
        assertThat(b64s(tree.root(2))).isEqualTo("+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=");
        assertThat(b64s(tree.root(3))).isEqualTo("rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=");
        assertThat(b64s(tree.root(5))).isEqualTo("Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=");
        assertThat(b64s(tree.root(6))).isEqualTo("duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=");
        assertThat(b64s(tree.root(7))).isEqualTo("3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=");
        assertThat(b64s(tree.root(8))).isEqualTo("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");
        // the proofs Habeas generates are the published ones
        for (JsonNode v : vectors().get("inclusion")) {
            if (!v.get("wantErr").asBoolean()) {
                assertThat(Merkle.inclusionProof(tree, v.get("leafIdx").asLong(), v.get("treeSize").asLong()))
                        .as(v.get("file").stringValue()).map(MerkleTest::b64s)
                        .containsExactlyElementsOf(proof(v.get("proof")).stream().map(MerkleTest::b64s).toList());
            }
        }
        for (JsonNode v : vectors().get("consistency")) {
            if (!v.get("wantErr").asBoolean()) {
                assertThat(Merkle.consistencyProof(tree, v.get("size1").asLong(), v.get("size2").asLong()))
                        .as(v.get("file").stringValue()).map(MerkleTest::b64s)
                        .containsExactlyElementsOf(proof(v.get("proof")).stream().map(MerkleTest::b64s).toList());
            }
        }
        assertThat(b64s(Merkle.emptyRoot())).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        List<byte[]> leaves = new ArrayList<>();
        for (String leaf : REFERENCE_LEAVES) {
            leaves.add(Merkle.leafHash(HexFormat.of().parseHex(leaf)));
        }
        assertThat(b64s(Merkle.root(leaves))).isEqualTo(b64s(tree.root()));
    }

    @Test
    void anyLeafsProofVerifiesAgainstAnyLaterTreeAndAnyConsistencyProofVerifies() throws Exception {
        Random random = new Random(9162);
        MemoryTree tree = new MemoryTree();
        for (int i = 0; i < 700; i++) {
            byte[] data = new byte[random.nextInt(40)];
            random.nextBytes(data);
            tree.appendData(data);
        }
        for (int round = 0; round < 3000; round++) {
            long size2 = 1 + random.nextInt(700);
            long size1 = 1 + (long) random.nextInt((int) size2);
            long index = random.nextInt((int) size1);
            byte[] leaf = tree.hash(0, index);
            byte[] root1 = tree.root(size1);
            byte[] root2 = tree.root(size2);
            List<byte[]> inclusion = Merkle.inclusionProof(tree, index, size2);
            Merkle.verifyInclusion(index, size2, leaf, inclusion, root2);
            Merkle.verifyInclusion(index, size1, leaf, Merkle.inclusionProof(tree, index, size1), root1);
            List<byte[]> consistency = Merkle.consistencyProof(tree, size1, size2);
            Merkle.verifyConsistency(size1, size2, root1, root2, consistency);

            // a single changed bit anywhere makes it fail
            int bit = random.nextInt(256);
            assertInvalid("leaf bit " + bit, () -> Merkle.verifyInclusion(index, size2, flip(leaf, bit), inclusion, root2));
            assertInvalid("root bit " + bit, () -> Merkle.verifyInclusion(index, size2, leaf, inclusion, flip(root2, bit)));
            if (!inclusion.isEmpty()) {
                int at = random.nextInt(inclusion.size());
                assertInvalid("inclusion proof bit", () -> Merkle.verifyInclusion(index, size2, leaf,
                        with(inclusion, l -> { l.set(at, flip(l.get(at), bit)); return l; }), root2));
            }
            if (!consistency.isEmpty()) {
                int at = random.nextInt(consistency.size());
                assertInvalid("consistency proof bit", () -> Merkle.verifyConsistency(size1, size2, root1, root2,
                        with(consistency, l -> { l.set(at, flip(l.get(at), bit)); return l; })));
                assertInvalid("root1 bit", () -> Merkle.verifyConsistency(size1, size2, flip(root1, bit), root2, consistency));
            }
        }
    }

    @Test
    void proofsRejectNonsense() {
        assertThatThrownBy(() -> Merkle.verifyInclusion(3, 3, new byte[32], List.of(), new byte[32]))
                .hasMessageContaining("beyond the tree size");
        assertThatThrownBy(() -> Merkle.verifyConsistency(5, 4, new byte[32], new byte[32], List.of()))
                .hasMessageContaining("smaller");
        assertThatThrownBy(() -> Merkle.verifyInclusion(0, 2, new byte[31], List.of(new byte[32]), new byte[32]))
                .hasMessageContaining("32 bytes");
    }

    interface Check {
        void run() throws Exception;
    }

    private static boolean valid(Check c) {
        try {
            c.run();
            return true;
        } catch (Merkle.ProofException e) {
            return false;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertInvalid(String what, Check c) {
        assertThat(valid(c)).as(what + " must fail").isFalse();
    }

    private static byte[] flip(byte[] b, int bit) {
        if (b.length == 0) {
            return new byte[] {1};
        }
        byte[] c = b.clone();
        c[(bit / 8) % c.length] ^= (byte) (1 << (bit % 8));
        return c;
    }

    private static List<byte[]> with(List<byte[]> proof, UnaryOperator<List<byte[]>> change) {
        return change.apply(new ArrayList<>(proof));
    }

    private static String b64s(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}

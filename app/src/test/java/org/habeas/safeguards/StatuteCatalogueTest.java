package org.habeas.safeguards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.habeas.law.Statute;
import org.junit.jupiter.api.Test;

class StatuteCatalogueTest {

    private static final KnowledgeBase KB = LawLoader.builtIn();
    private final StatuteCatalogue statutes = new StatuteCatalogue(KB);

    private List<String> find(String state, String text) {
        return statutes.find(state, text).stream().map(m -> m.statute().code() + " " + m.statute().number()).toList();
    }

    @Test
    void aProvisionIsRecognisedHoweverItIsWritten() {
        for (String written : List.of("art. 207.3 УК РФ", "Article 207.3 of the Criminal Code", "ст. 207.3",
                "ч. 2 ст. 207.3 Уголовного кодекса Российской Федерации", "Art 207.3 CC RF", "статья ２０７.３ УК")) {
            assertThat(find("RU", written)).as(written).containsExactly("CC 207.3");
        }
        assertThat(find("DE", "§ 184b StGB")).containsExactly("StGB 184b");
        assertThat(find("DE", "StGB § 303b, § 253")).containsExactly("StGB 303b", "StGB 253");
        assertThat(find("DE", "§§ 263, 263a Strafgesetzbuch")).containsExactly("StGB 263", "StGB 263a");
        assertThat(find("FR", "articles 313-1 et 323-1 du Code pénal")).containsExactly("CP 313-1", "CP 323-1");
        assertThat(find("TR", "TCK m. 217/A")).containsExactly("TCK 217/A");
        assertThat(find("DZ", "article 144 bis 2 du Code pénal")).containsExactly("CP 144bis-2");
        assertThat(find("DZ", "art. 144 bis et 87 bis")).containsExactly("CP 144bis", "CP 87bis");
        assertThat(find("SE", "9 kap. 1 § brottsbalken")).containsExactly("BrB 9:1");
        assertThat(find("FI", "rikoslain 38 luku 8 §")).containsExactly("RL 38:8");
        assertThat(find("JP", "刑法第246条の2")).containsExactly("PC 246-2");
        assertThat(find("KR", "형법 제347조의2")).containsExactly("CA 347-2");
        assertThat(find("CN", "《中华人民共和国刑法》第二百九十三条")).containsExactly("CL 293");
        assertThat(find("TH", "ประมวลกฎหมายอาญา มาตรา ๑๑๒")).containsExactly("CC 112");
        assertThat(find("US", "18 U.S.C. § 2252A and 21 U.S.C. § 841")).containsExactly("T18 2252A", "T21 841");
        assertThat(find("IT", "artt. 640-ter e 615 ter c.p.")).containsExactly("CP 640-ter", "CP 615-ter");
        assertThat(find("CO", "artículo 269A del Código Penal (Ley 1273 de 2009)")).containsExactly("CP 269A");
    }

    @Test
    void aNumberBelongsToTheCodeNamedNearestItAndSubsectionsAreNotProvisions() {
        assertThat(find("GB", "s. 4(3) Misuse of Drugs Act 1971")).containsExactly("MDA 4");
        assertThat(find("GB", "s.1 Computer Misuse Act 1990 and s.4(3)(b) Misuse of Drugs Act 1971"))
                .containsExactly("CMA 1", "MDA 4");
        // s. 7 is not catalogued, and its subsection "(1)" is not section 1
        assertThat(find("GB", "Computer Misuse Act 1990, s. 7(1)")).isEmpty();
        assertThat(find("TR", "TMK 7/2 ve TCK 299")).containsExactly("TMK 7/2", "TCK 299");
        assertThat(find("TR", "Terörle Mücadele Kanunu madde 7/2")).containsExactly("TMK 7/2");
        // with no code named, the state's primary code; a state without one reads nothing
        assertThat(find("TR", "madde 299")).containsExactly("TCK 299");
        assertThat(find("GB", "section 4")).isEmpty();
    }

    @Test
    void onlyTheRequestingStatesCatalogueIsRead() {
        assertThat(find("DE", "art. 207.3 УК РФ")).isEmpty();
        assertThat(find("XX", "§ 184b StGB")).isEmpty();
        assertThat(find("RU", "")).isEmpty();
        assertThat(find("RU", null)).isEmpty();
    }

    @Test
    void hanNumeralsAreNumbers() {
        assertThat(StatuteCatalogue.tokens("刑法第二百九十三条").stream().map(t -> t.text()).toList())
                .containsExactly("刑", "法", "第", "293", "条");
        assertThat(StatuteCatalogue.tokens("第一百零五条").stream().map(t -> t.text()).toList()).contains("105");
        assertThat(StatuteCatalogue.tokens("第十二条").stream().map(t -> t.text()).toList()).contains("12");
    }

    @Test
    void theCatalogueIsData() {
        assertThat(KB.statutes()).extracting(Statute::state).contains("RU", "DE", "FR", "GB", "TR");
        assertThat(KB.statutes()).hasSizeGreaterThanOrEqualTo(300);
        assertThat(KB.statutes().stream().map(Statute::state).distinct().count()).isGreaterThanOrEqualTo(60);
        Statute s = KB.statutes().stream().filter(x -> x.state().equals("RU") && x.number().equals("207.3")).findFirst()
                .orElseThrow();
        assertThat(s.usedAgainstProtectedActivity()).isTrue();
        assertThat(s.source()).isNotBlank();
    }

    private static Assessment assess(String scenario, String state, String statute, String description) throws Exception {
        var tree = (tools.jackson.databind.node.ObjectNode) new org.habeas.intake.RequestValidator().mapper()
                .readTree(java.nio.file.Files.readAllBytes(ScenarioTest.DIR.resolve(scenario)));
        tree.put("requestingState", state);
        var offence = (tools.jackson.databind.node.ObjectNode) tree.get("offence");
        offence.put("statute", statute);
        offence.put("description", description);
        offence.remove("conduct");
        var r = new org.habeas.intake.RequestValidator().mapper().treeToValue(tree, org.habeas.intake.EvidenceRequest.class);
        return new Safeguards(KB).assess(r, Profiles.load("rights-first"), r.receivedAt().toInstant());
    }

    @Test
    void anOrdinaryProvisionTellsTheEngineWhatIsChargedAndAMisusedOneCountsAsProtectedActivity() throws Exception {
        Assessment csam = assess("03-legit-csam-content-budapest.json", "DE", "§ 184b StGB", "Siehe Vorschrift.");
        assertThat(csam.conduct()).contains("CHILD_SEXUAL_ABUSE_MATERIAL");
        assertThat(csam.rules()).doesNotContain("DUAL_CRIMINALITY");

        Assessment speech = assess("03-legit-csam-content-budapest.json", "RU", "ст. 207.3 УК РФ", "Публикация материалов.");
        assertThat(speech.signals().protectedActivity()).contains("FALSE_NEWS");
        assertThat(speech.rules()).contains("PROTECTED_CONDUCT");
        assertThat(speech.decision()).isEqualTo(Decision.REFUSE);

        // a terrorism provision known to be used against journalism: a human-rights officer decides
        Assessment terror = assess("03-legit-csam-content-budapest.json", "TR", "TMK 7/2", "Örgüt propagandası.");
        assertThat(terror.conduct()).contains("TERRORISM");
        assertThat(terror.signals().protectedActivity()).contains("JOURNALISM");
        assertThat(terror.rules()).contains("PROTECTED_CONDUCT");
    }

    /** The folding before this catalogue read statutes in one pass: every normalisation and every form applied. */
    private static String reference(String text) {
        String folded = java.text.Normalizer.normalize(java.text.Normalizer.normalize(java.text.Normalizer.normalize(
                text, java.text.Normalizer.Form.NFKC), java.text.Normalizer.Form.NFKD).replaceAll("\\p{M}+", ""),
                java.text.Normalizer.Form.NFC).toLowerCase(java.util.Locale.ROOT);
        folded = StatuteCatalogue.asciiDigits(StatuteCatalogue.hanNumbers(folded));
        for (String[] form : new String[][] {
                {"(\\d+)\\s*(?:kap|luku)\\.?\\s*(\\d+)\\s?([a-z]?)\\s*§", "$1:$2$3"},
                {"(\\d+)\\s*(?:条の|조의)\\s*(\\d+)", "$1-$2"},
                {"(\\d+)[\\s\\-]*(bis|ter|quater|quinquies|sexies|septies|octies)(?!\\p{L})", "$1$2"},
                {"(\\d+(?:bis|ter|quater))\\s+(\\d{1,2})(?![\\d.\\-/])", "$1-$2"}}) {
            folded = folded.replaceAll(form[0], form[1]);
        }
        return folded;
    }

    @Test
    void statutesAreFoldedAsEveryNormalisationAndFormFoldsThem() throws java.io.IOException {
        List<String> texts = new java.util.ArrayList<>(List.of("9 kap. 1 § brottsbalken", "rikoslain 38 luku 8 §",
                "刑法第246条の2", "형법 제347조의2", "《中华人民共和国刑法》第二百九十三条", "ประมวลกฎหมายอาญา มาตรา ๑๑๒",
                "article 144 bis 2 du Code pénal", "artt. 640-ter e 615 ter c.p.", "статья ２０７.３ УК", "Ⅻ ﬁ ½ ℡ ǅ",
                "Art. 207³", "ß ẞ İ ı Σ ς", "ÅNGSTRÖM § 4 kap 2", "1 bis 2 ter 3 quater 4"));
        KB.statutes().forEach(s -> texts.add(s.number()));
        KB.statuteCodes().forEach(c -> texts.addAll(c.names()));
        try (var files = java.nio.file.Files.walk(ScenarioTest.DIR)) {
            for (var f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                texts.add(java.nio.file.Files.readString(f));
            }
        }
        for (String text : texts) {
            assertThat(StatuteCatalogue.folded(text)).as(text).isEqualTo(reference(text));
        }
    }

    /** Latin and Cyrillic text folded character by character reads as the whole text folded at once. */
    @Test
    void foldingCharacterByCharacterIsFoldingTheWholeText() {
        StringBuilder pool = new StringBuilder();
        for (char c = 0x20; c < 0x530; c++) {
            pool.append(c);
        }
        pool.append("\u03a3\u03c3\u1100\u1161\u11a8\uac00\u4e2d\u0627\u0301\u0308\u00df\u0130");
        java.util.Random random = new java.util.Random(12);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(1, 16); k > 0; k--) {
                b.append(random.nextInt(4) == 0 ? (char) ('a' + random.nextInt(26)) : pool.charAt(random.nextInt(pool.length())));
            }
            String text = b.toString();
            assertThat(StatuteCatalogue.fold(text)).as(text).isEqualTo(StatuteCatalogue.foldWhole(text));
        }
    }
}

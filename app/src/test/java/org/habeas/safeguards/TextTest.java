package org.habeas.safeguards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.habeas.intake.EvidenceRequest;
import org.habeas.law.LawLoader;
import org.junit.jupiter.api.Test;

class TextTest {

    private static final Safeguards ENGINE = new Safeguards(LawLoader.builtIn());
    private static final Profile RIGHTS_FIRST = Profiles.load("rights-first");

    /** A preservation request (no dual-criminality check) with the offence and facts in another language. */
    private static Assessment preservation(String description, String facts) throws IOException {
        EvidenceRequest r = Requests.from("12-legit-preservation-budapest-90.json", t -> {
            Requests.offence(t).put("description", description);
            t.put("facts", facts);
        });
        return ENGINE.assess(r, RIGHTS_FIRST, r.receivedAt().toInstant());
    }

    private static List<String> rules(Assessment a) {
        return a.findings().stream().map(Finding::rule).toList();
    }

    @Test
    void japaneseChineseAndThaiFactsAreCountedInWords() throws IOException {
        String ja = "被疑者は2026年10月、このメールアカウントから病院にランサムウェアを送信し、"
                + "暗号資産で身代金を要求した。アカウントの登録情報は攻撃者の特定に必要である。";
        String zh = "犯罪嫌疑人于2026年10月通过该电子邮件账户向医院发送勒索软件，要求以比特币支付赎金。"
                + "该账户的注册信息可以确定攻击者的身份。";
        String th = "ผู้ต้องสงสัยใช้บัญชีอีเมลนี้ส่งมัลแวร์เรียกค่าไถ่ไปยังโรงพยาบาลเมื่อเดือนตุลาคม 2569 "
                + "และเรียกร้องให้จ่ายค่าไถ่เป็นบิตคอยน์ ข้อมูลผู้ใช้ของบัญชีนี้ระบุตัวผู้โจมตีได้";
        assertThat(Text.words(ja)).hasSizeGreaterThan(20);
        assertThat(Text.words(zh)).hasSizeGreaterThan(20);
        assertThat(Text.words(th)).hasSizeGreaterThan(20);
        assertThat(rules(preservation("ランサムウェアによる電子計算機損壊等業務妨害", ja))).doesNotContain("REQUEST_COMPLETE");
        assertThat(rules(preservation("破坏计算机信息系统罪（勒索软件攻击）", zh))).doesNotContain("REQUEST_COMPLETE");
        assertThat(rules(preservation("การโจมตีด้วยมัลแวร์เรียกค่าไถ่", th))).doesNotContain("REQUEST_COMPLETE");
        // three words are still too few, in any script
        assertThat(rules(preservation("ランサムウェア", "メール送信した"))).contains("REQUEST_COMPLETE");
    }

    @Test
    void termsInScriptsWithoutSpacesAreSegmentedLikeTheText() {
        Lexicon lexicon = new Lexicon(Map.of("DATA_INTERFERENCE", List.of("勒索软件", "ランサムウェア", "มัลแวร์เรียกค่าไถ่"),
                "FRAUD", List.of("詐欺")));
        assertThat(lexicon.find(Text.words("犯罪嫌疑人通过该电子邮件账户发送勒索软件，要求受害公司支付赎金。")))
                .containsKey("DATA_INTERFERENCE");
        assertThat(lexicon.find(Text.words("病院にランサムウェアを送信した"))).containsKey("DATA_INTERFERENCE");
        assertThat(lexicon.find(Text.words("ผู้ต้องสงสัยส่งมัลแวร์เรียกค่าไถ่ไปยังบริษัท"))).containsKey("DATA_INTERFERENCE");
        assertThat(lexicon.find(Text.words("特殊詐欺グループが高齢者からお金をだまし取った"))).containsKey("FRAUD");
        assertThat(lexicon.find(Text.words("病院に書類を送信した"))).isEmpty();
    }

    @Test
    void lookAlikesWidthsAndHiddenCharactersReadAsThePlainWord() {
        String[] plain = Text.words("every account");
        assertThat(Text.words("\u0435very account")).containsExactly(plain); // Cyrillic е
        assertThat(Text.words("EVERY ACCOUNT")).containsExactly(plain);
        assertThat(Text.words("ｅｖｅｒｙ ａｃｃｏｕｎｔ")).containsExactly(plain); // fullwidth
        assertThat(Text.words("ev\u200Bery acc\u00ADount")).containsExactly(plain); // zero-width space, soft hyphen
        assertThat(Text.words("évery àccount")).containsExactly(plain);
        // capitals that look Latin, whatever the case the text is folded to
        assertThat(Text.words("МURDER ТHREAT")).containsExactly(Text.words("murder threat")); // Cyrillic М, Т
        assertThat(Text.words("ΙLLEGAL ΟRDER")).containsExactly(Text.words("illegal order")); // Greek Ι, Ο
        assertThat(Text.words("illegal")).containsExactly(Text.words("ILLEGAL"));
        // Cyrillic and Greek still read as themselves
        assertThat(Text.words("Заведомо ложная информация")).containsExactly(Text.words("заведомо ложная информация"));
        assertThat(Text.words("ЗАВЕДОМО ЛОЖНАЯ ИНФОРМАЦИЯ")).containsExactly(Text.words("заведомо ложная информация"));
        assertThat(Text.words("ψευδείς ειδήσεις")).hasSize(2);
    }

    @Test
    void hiddenCharactersAndMixedScriptsAreReported() {
        assertThat(Text.read("t", "A\u200BLL users").hidden()).isTrue();
        assertThat(Text.read("t", "all users\u202E").hidden()).isTrue();
        assertThat(Text.read("t", "so\u00ADft").hidden()).isTrue();
        assertThat(Text.read("t", "\u0435very account").mixed()).containsExactly("\u0435very");
        assertThat(Text.read("t", "paypal").disguised()).isFalse();
        // what honest text in other scripts needs is not a disguise
        assertThat(Text.read("t", "می\u200Cخواهم حساب کاربری را").disguised()).isFalse(); // Persian ZWNJ
        assertThat(Text.read("t", "Twitterアカウントを保全").disguised()).isFalse();
        assertThat(Text.read("t", "Facebookของผู้ต้องสงสัย").disguised()).isFalse();
        assertThat(Text.read("t", "SNS를 통해 협박").disguised()).isFalse();
        assertThat(Text.read("t", "Straße, Île-de-France, Łódź").disguised()).isFalse();
        assertThat(Text.read("t", "угрозы через Telegram").disguised()).isFalse();
    }

    /** A text's skeleton taken from its NFKC case-folded form (a target as read) is the skeleton of the text. */
    @Test
    void theSkeletonOfTheNormalisedTextIsTheSkeletonOfTheText() {
        String pool = "aAzZ09*%@._-\uff0a\u2217\u066d\uff05\u0430\u0435\u043e\u0440\u0441\u0410\u0415\u03bf\u039f"
                + "\u00e9\u0065\u0301\u200b\u00ad\ufe0f\u2126\u212a\u00df\u1e9e\u0130\u0131\u4e2d\u3042\ufb01\u2460";
        com.ibm.icu.text.Normalizer2 nfkc = com.ibm.icu.text.Normalizer2.getNFKCCasefoldInstance();
        java.util.Random random = new java.util.Random(12);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(1, 12); k > 0; k--) {
                b.append(pool.charAt(random.nextInt(pool.length())));
            }
            String text = b.toString();
            assertThat(Text.skeletonOfNormalised(nfkc.normalize(text))).as(text).isEqualTo(Text.skeleton(text));
        }
    }

    /**
     * The hidden-character check that looks at every character only when one could hide says what the full check
     * says: on every character of the Basic Multilingual Plane between letters, and on 20,000 texts generated from
     * Latin, Cyrillic, Arabic, Devanagari, CJK and Thai letters, the joiners, zero-width and bidi controls, soft
     * hyphens, variation selectors, tag characters and characters beyond the plane.
     */
    @Test
    void theHiddenCharacterShortcutAgreesWithTheFullCheck() {
        java.util.List<String> texts = new java.util.ArrayList<>();
        for (int cp = 0; cp < 0x10000; cp++) {
            if (!Character.isSurrogate((char) cp)) {
                texts.add("a" + (char) cp + "b");
                texts.add("\u0628" + (char) cp + "\u0628");
            }
        }
        String alphabet = "ae\u0435\u0430\u0628\u0645\u0915\u094d\u52d2\u7d22\u0e21\u0e31 .*\u200b\u200c\u200d\u2060"
                + "\u00ad\u202a\u202e\u2066\ufe0f\ufe00\ufeff\u034f\u180e\udb40\udc41\udb40\udd00\ud83d\ude00\u263a";
        int[] chars = alphabet.codePoints().toArray();
        java.util.Random random = new java.util.Random(12);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(1, 16); k > 0; k--) {
                b.appendCodePoint(chars[random.nextInt(chars.length)]);
            }
            texts.add(b.toString());
        }
        int hiding = 0;
        for (String text : texts) {
            boolean full = Text.hidesAny(text);
            assertThat(Text.hides(text)).as(text).isEqualTo(full);
            hiding += full ? 1 : 0;
        }
        assertThat(hiding).as("texts that hide").isGreaterThan(5_000);
        assertThat(texts.size() - hiding).as("texts that do not").isGreaterThan(60_000);
    }

    /** Every way a text is read gives what the reference gives: the whole text, normalised and then read at once. */
    private static void readsAsTheWholeText(Vocabulary vocabulary, String text) {
        Text.Read fast = Text.read("f", text, vocabulary);
        Text.Read whole = Text.readWhole("f", text);
        assertThat(fast.normalised()).as(text).isEqualTo(whole.normalised());
        assertThat(List.of(fast.words())).as(text).isEqualTo(List.of(whole.words()));
        assertThat(fast.sentences().stream().map(List::of).toList()).as(text)
                .isEqualTo(whole.sentences().stream().map(List::of).toList());
        assertThat(fast.scripts()).as(text).isEqualTo(whole.scripts());
        assertThat(fast.hidden()).as(text).isEqualTo(whole.hidden());
        assertThat(fast.mixed()).as(text).isEqualTo(whole.mixed());
        assertThat(fast.known()).as(text).hasSameSizeAs(fast.words());
        for (int k = 0; k < fast.words().length; k++) {
            if (fast.known()[k].text != fast.words()[k]) {
                throw new AssertionError("the known word is not the word read at " + k + " in " + text);
            }
        }
    }

    /**
     * Reading word by word (ASCII) and chunk by chunk between inert characters (all other text), with the words and
     * chunks read before kept in a vocabulary, reads what reading the whole normalised text reads: every scenario
     * (its JSON, all of it) as written and in five disguises, read twice (the second time from the vocabulary), and
     * 10,000 texts generated from Latin, Cyrillic, Greek, Arabic, Devanagari, Hangul (syllables and the jamo NFKC
     * composes), CJK, kana, Thai, combining marks, fullwidth and halfwidth forms, ligatures, circled digits,
     * characters NFKC composes with a neighbour ({@code <} and U+0338), hidden characters, sentence ends of every
     * script and characters beyond the plane.
     */
    @Test
    void readingByWordsAndChunksReadsAsTheWholeText() throws IOException {
        Vocabulary vocabulary = Vocabulary.plain();
        List<String> texts = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.walk(ScenarioTest.DIR)) {
            for (var f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String json = java.nio.file.Files.readString(f);
                texts.add(json);
                texts.add(DisguiseTest.lookAlikes(json));
                texts.add(DisguiseTest.zeroWidth(json));
                texts.add(DisguiseTest.fullwidth(json));
                texts.add(json.toUpperCase(java.util.Locale.ROOT));
                texts.add(com.ibm.icu.text.Normalizer2.getNFDInstance().normalize(json));
            }
        }
        assertThat(texts).hasSizeGreaterThan(1_000);
        String[] pieces = {"All", "users", "\u0432\u0441\u0435", "\u0435very", "\u03b1\u03bb\u03bb\u03b1", "\u0627\u0644\u0643\u0644",
                "\u0938\u092d\u0940", "\ubaa8\ub4e0", "\u1100\u1161", "\u11a8", "\u4e2d\u6587\u5b57", "\u3059\u3079\u3066\u306e",
                "\u30a2\u30ab\u30a6\u30f3\u30c8", "\u0e1c\u0e39\u0e49\u0e43\u0e0a\u0e49", "e\u0301", "\u0301", "\uff21\uff2c\uff2c",
                "\uff8a\uff9e", "\ufb01", "\u2460", "<\u0338", "\u0338", "\u200b", "\u200c", "\u200d", "\u00ad", "\u202e",
                "\ufe0f", "\ud835\udc00", "\ud83d\ude00", ". ", "!", "?", ";", "\n", " ", "  ", ",", "\u3002", "\uff61", "\u061f",
                "\u0964", "\uff0e", "\uff0c", "\u3001", "'", "-", "*", "%", "10.0.0.0/8", "Stra\u00dfe", "\u0130", "\u212a",
                "\u00c5", "A\u030a", "x", "9", "\u0660", "\u00a0", "\u2019", "\u00ab"};
        java.util.Random random = new java.util.Random(12);
        for (int n = 0; n < 10_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(1, 24); k > 0; k--) {
                b.append(random.nextInt(8) == 0 ? String.valueOf((char) random.nextInt(0x3000))
                        : pieces[random.nextInt(pieces.length)]);
            }
            texts.add(b.toString());
        }
        for (int round = 0; round < 2; round++) {
            for (String text : texts) {
                readsAsTheWholeText(vocabulary, text);
            }
        }
    }
}

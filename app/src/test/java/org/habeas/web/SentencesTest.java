package org.habeas.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.RequestValidator;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.habeas.safeguards.Assessment;
import org.habeas.safeguards.Condition;
import org.habeas.safeguards.Finding;
import org.habeas.safeguards.Profiles;
import org.habeas.safeguards.Safeguards;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.support.ResourceBundleMessageSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every sentence the engine writes over the scenarios (each plain and in six disguises, under both built-in profiles, with
 * and without the UNCC assumed in force) is known to a message key: written again in English from that key it is the
 * engine's sentence byte for byte, and in French it is another sentence, with no English word of the page list left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SentencesTest {

    private static final KnowledgeBase KB = LawLoader.builtIn();
    private Sentences words;
    private final List<Assessment> assessments = new ArrayList<>();

    @BeforeAll
    void assessEveryScenario() throws Exception {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasenames("labels", "messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        words = new Sentences(messages, KB);
        RequestValidator validator = new RequestValidator();
        List<Safeguards> engines = List.of(new Safeguards(KB), new Safeguards(KB.assumingInForce(Set.of("UNCC"))));
        // as AssessmentDump disguises them: upper case, look-alikes, zero-width spaces, soft hyphens and bidi
        // controls, fullwidth forms, NFD
        List<UnaryOperator<String>> disguises = List.of(s -> s, s -> s.toUpperCase(Locale.ROOT),
                s -> s.replace("a", "\u0430").replace("o", "\u043e"), s -> s.replace(" ", " \u200B"),
                s -> s.replace(" ", " \u00AD\u202A"), s -> s.chars().mapToObj(ch -> String.valueOf((char) (ch > ' ' && ch < 0x7F
                        ? ch - 0x21 + 0xFF01 : ch))).collect(java.util.stream.Collectors.joining()),
                s -> java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("..", "scenarios"))) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            JsonNode original = validator.mapper().readTree(Files.readAllBytes(f));
            for (UnaryOperator<String> d : disguises) {
                ObjectNode tree = ((ObjectNode) original).deepCopy();
                if (tree.hasNonNull("facts")) {
                    tree.put("facts", d.apply(tree.get("facts").stringValue()));
                }
                if (tree.get("offence") instanceof ObjectNode o && o.hasNonNull("description")) {
                    o.put("description", d.apply(o.get("description").stringValue()));
                }
                if (tree.get("targets") instanceof tools.jackson.databind.node.ArrayNode targets) {
                    for (JsonNode t : targets) {
                        if (t instanceof ObjectNode o && o.hasNonNull("value")) {
                            o.put("value", d.apply(o.get("value").stringValue()));
                        }
                    }
                }
                EvidenceRequest r;
                try {
                    r = validator.mapper().treeToValue(tree, EvidenceRequest.class);
                } catch (RuntimeException e) {
                    continue;
                }
                if (r.receivedAt() == null) {
                    continue;
                }
                for (Safeguards engine : engines) {
                    for (String profile : Profiles.BUILT_IN) {
                        assessments.add(engine.assess(r, Profiles.load(profile), r.receivedAt().toInstant()));
                    }
                }
            }
        }
    }

    @Test
    void everyReasonAndConditionIsAKeyThatWritesTheSameEnglish() {
        Set<String> unknown = new TreeSet<>();
        Set<String> differ = new TreeSet<>();
        Set<String> rules = new TreeSet<>();
        int reasons = 0;
        for (Assessment a : assessments) {
            for (Finding f : a.findings()) {
                reasons++;
                rules.add(f.rule());
                if (!words.knows(f.reason(), "top")) {
                    unknown.add(f.rule() + ": " + f.reason());
                } else if (!f.reason().equals(words.again(f.reason(), "top"))) {
                    differ.add(f.reason() + "\n   again: " + words.again(f.reason(), "top"));
                }
            }
            for (Condition c : a.conditions()) {
                if (!words.knows(c.text(), "condition")) {
                    unknown.add(c.code() + ": " + c.text());
                } else if (!c.text().equals(words.again(c.text(), "condition"))) {
                    differ.add(c.text());
                }
            }
        }
        assertThat(reasons).isGreaterThan(10_000);
        assertThat(rules).hasSizeGreaterThanOrEqualTo(20);
        assertThat(unknown).as("sentences of the engine no reason.* key reads").isEmpty();
        assertThat(differ).as("sentences written again differently").isEmpty();
    }

    @Test
    void inFrenchEveryReasonIsWrittenAgainWithoutItsEnglish() {
        List<String> english = List.of("The request", "Habeas does not", "must", "days", "Send the request", "Budapest Convention",
                "Subscriber", "target ", "relies on facts", "advice only", "not free", "rated", "{0}", "{1}");
        Set<String> left = new TreeSet<>();
        Set<String> same = new TreeSet<>();
        for (Assessment a : assessments) {
            for (Finding f : a.findings()) {
                String fr = words.reason(f.reason(), Locale.FRENCH);
                if (fr.equals(f.reason())) {
                    same.add(f.reason());
                }
                english.stream().filter(fr::contains).forEach(w -> left.add(w + " in: " + fr));
                String u = words.unconfirmed(f.unconfirmed(), Locale.FRENCH);
                assertThat(u).doesNotContain("{0}").doesNotContain("status of ").doesNotContain("the bilateral treaty");
            }
            for (Condition c : a.conditions()) {
                String fr = words.condition(c.text(), Locale.FRENCH);
                assertThat(fr).as(c.text()).isNotEqualTo(c.text()).doesNotContain("{0}");
            }
        }
        assertThat(same).as("reasons left in English").isEmpty();
        assertThat(left).as("English left in French reasons").isEmpty();
    }

    @Test
    void inSpanishEveryReasonAndConditionIsWrittenAgainWithoutItsEnglish() {
        Locale spanish = Locale.of("es");
        List<String> english = List.of("The request", "Habeas does not", "must", "days", "Send the request", "Budapest Convention",
                "Subscriber", "target ", "relies on facts", "advice only", "not free", "rated", "{0}", "{1}");
        Set<String> left = new TreeSet<>();
        Set<String> same = new TreeSet<>();
        for (Assessment a : assessments) {
            for (Finding f : a.findings()) {
                String es = words.reason(f.reason(), spanish);
                if (es.equals(f.reason())) {
                    same.add(f.reason());
                }
                english.stream().filter(es::contains).forEach(w -> left.add(w + " in: " + es));
            }
            for (Condition c : a.conditions()) {
                assertThat(words.condition(c.text(), spanish)).as(c.text()).isNotEqualTo(c.text()).doesNotContain("{0}");
            }
        }
        assertThat(same).as("reasons left in English").isEmpty();
        assertThat(left).as("English left in Spanish reasons").isEmpty();
        assertThat(words.reason("The Budapest Convention does not provide for INTERCEPTION; it provides for PRESERVATION, "
                + "PRODUCTION.", spanish)).isEqualTo("El instrumento «Convenio de Budapest» no prevé la medida «Interceptación "
                + "del contenido»; prevé: Conservación, Entrega de datos.");
    }

    @Test
    void aLongListIsReadQuickly() {
        StringBuilder sets = new StringBuilder();
        for (int i = 1; i <= 300; i++) {
            sets.append(i == 1 ? "" : "; ").append("target ").append(i).append(" (an e-mail address), a description of a set of people");
        }
        String english = "A target must identify one account, address or device; these describe sets of people: " + sets
                + ". Name the specific identifiers linked to the offence.";
        long start = System.nanoTime();
        String fr = words.reason(english, Locale.FRENCH);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(fr).startsWith("Une cible doit identifier").contains("la cible 300 (une adresse électronique)");
        assertThat(ms).as("milliseconds to read 300 targets").isLessThan(2000);
        // a sentence that almost matches, with many separators, is shown as written, and as quickly
        String almost = english.replace("Name the specific", "Name those");
        start = System.nanoTime();
        assertThat(words.reason(almost, Locale.FRENCH)).isEqualTo(almost);
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds to give up").isLessThan(2000);
    }

    @Test
    void readsThePartsAndTheCodesOfASentence() {
        String english = "The Budapest Convention does not cover TRAFFIC, CONTENT data for PRODUCTION sent directly to a "
                + "provider; ask only for IDENTIFICATION, SUBSCRIBER, or use another channel.";
        assertThat(words.reason(english, Locale.FRENCH)).isEqualTo("L'instrument « Convention de Budapest » ne couvre pas les "
                + "catégories Données relatives au trafic, Contenu pour la mesure « Production » adressée directement à un "
                + "fournisseur ; ne demandez que Données d'identification, Données relatives aux abonnés, ou utilisez une "
                + "autre voie.");
        String nested = "Under this profile this is advice only (it would otherwise refuse): The request is incomplete: it "
                + "needs facts that explain how the data sought is linked to the offence (3 words given); a description of "
                + "the offence. This relies on facts Habeas has not confirmed.";
        assertThat(words.reason(nested, Locale.FRENCH)).isEqualTo("Avec ce profil, ce n'est qu'un avis (sinon, la règle "
                + "conduirait à refuser) : La demande est incomplète : il y manque des faits qui expliquent le lien entre les "
                + "données demandées et l'infraction (3 mots fournis) ; une description de l'infraction. Ce constat repose "
                + "sur des faits que Habeas n'a pas confirmés.");
        assertThat(words.reason(nested, Locale.ENGLISH)).isEqualTo(nested);
        // a sentence no key knows is shown as written
        assertThat(words.reason("Something the engine never says.", Locale.FRENCH)).isEqualTo("Something the engine never says.");
    }

    @Test
    void refusalsAndBlockersAreWrittenInTheReadersLanguage() {
        org.springframework.context.i18n.LocaleContextHolder.setLocale(Locale.FRENCH);
        try {
            assertThat(words.refused("a case in state IN_REVIEW takes no proposal"))
                    .isEqualTo("un dossier à l'état « En attente d'un juriste » ne reçoit pas de proposition");
            assertThat(words.refused("the case changed meanwhile: it is now escalated to a human-rights officer; reload it"))
                    .isEqualTo("le dossier a changé entre-temps : il est désormais transmis à un responsable des droits humains ; rechargez-le");
            assertThat(words.refused("the case changed meanwhile: it is now assigned to Ana Lyst; reload it"))
                    .isEqualTo("le dossier a changé entre-temps : il est désormais attribué à Ana Lyst ; rechargez-le");
            assertThat(words.refused("only a legal reviewer may do this")).isEqualTo("seul un juriste peut faire cela");
            assertThat(words.refused("A legal reviewer's change to NARROW waits for a second legal reviewer, who is neither "
                    + "the proposer nor the changer.")).isEqualTo("Une modification vers « Restreindre » faite par un juriste "
                    + "attend un second examen (un juriste), par quelqu'un qui n'est ni l'auteur de la proposition ni celui de "
                    + "la modification.");
            assertThat(words.refusal("scope.periodFrom", "must not be before 2026-01-01, the start of the requested period"))
                    .isEqualTo("début de la période : ne doit pas être antérieure au 2026-01-01, début de la période demandée");
            assertThat(words.refused("'a.pdf': The file is empty.")).isEqualTo("« a.pdf » : Le fichier est vide.");
            // a blocker, also when it comes back as the refusal of an execution
            String blocker = "the sender is not verified: call the agency back on a number Habeas holds for it and record a "
                    + "call-back that confirms the request (staff)";
            assertThat(words.blocker(blocker)).startsWith("l'expéditeur n'est pas vérifié : rappelez l'autorité");
            assertThat(words.refused(blocker)).isEqualTo(words.blocker(blocker));
            assertThat(words.blocker("PRESERVATION produces no data")).isEqualTo("la mesure « Conservation » ne produit pas de données");
        } finally {
            org.springframework.context.i18n.LocaleContextHolder.resetLocaleContext();
        }
        org.springframework.context.i18n.LocaleContextHolder.setLocale(Locale.ENGLISH);
        try {
            assertThat(words.refusal("state", "a case in state IN_REVIEW takes no proposal"))
                    .isEqualTo("state: a case in state IN_REVIEW takes no proposal");
        } finally {
            org.springframework.context.i18n.LocaleContextHolder.resetLocaleContext();
        }
    }
}

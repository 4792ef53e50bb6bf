package org.habeas.safeguards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.habeas.law.ConductClass;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.habeas.law.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped lexicons of the European languages, read together as the engine reads them (every language's terms
 * against every text): charge words show their conduct in the inflected forms charge sheets use, protected people
 * are recognised by what they do, and ordinary words of legitimate requests trigger nothing protected.
 */
class EuropeanLexiconsTest {

    private static final KnowledgeBase KB = LawLoader.builtIn();
    private static final Lexicon CONDUCT;
    private static final Lexicon ROLES;
    private static final Lexicon SECURITY;

    static {
        Map<String, List<String>> byClass = new LinkedHashMap<>();
        for (ConductClass c : KB.conduct()) {
            byClass.put(c.id(), flatten(c.lexicon().values()));
        }
        Map<String, List<String>> byRole = new LinkedHashMap<>();
        for (Role r : KB.roles()) {
            byRole.put(r.id(), flatten(r.lexicon().values()));
        }
        CONDUCT = new Lexicon(byClass);
        ROLES = new Lexicon(byRole);
        SECURITY = new Lexicon(Map.of("SECURITY_WEAKENING", flatten(KB.securityDemands().values())));
    }

    private static List<String> flatten(Collection<List<String>> lists) {
        List<String> all = new ArrayList<>();
        lists.forEach(all::addAll);
        return all;
    }

    private static Map<String, String> conduct(String text) {
        return CONDUCT.find(Lexicon.words(text));
    }

    private static Map<String, String> roles(String text) {
        return ROLES.find(Lexicon.words(text));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            de | Verbreitung kinderpornographischer Inhalte über einen Cloud-Speicherdienst | CHILD_SEXUAL_ABUSE_MATERIAL
            de | wegen gewerbsmäßigen Computerbetrugs | COMPUTER_FRAUD
            de | betrügerischer Datenverarbeitungsmissbrauch | COMPUTER_FRAUD
            it | omicidio volontario aggravato dalla premeditazione | HOMICIDE
            it | accesso abusivo a un sistema informatico | ILLEGAL_ACCESS
            it | detenzione di materiale pedopornografico | CHILD_SEXUAL_ABUSE_MATERIAL
            nl | computervredebreuk en witwassen | ILLEGAL_ACCESS
            nl | bezit van kinderpornografie | CHILD_SEXUAL_ABUSE_MATERIAL
            sv | grovt bedrägeri mot pensionärer | FRAUD
            sv | kontakt med barn i sexuellt syfte | GROOMING
            da | groft databedrageri | COMPUTER_FRAUD
            da | drab ved skud | HOMICIDE
            fi | törkeä tietomurto | ILLEGAL_ACCESS
            fi | tietomurron yritys | ILLEGAL_ACCESS
            fi | törkeän petoksen tunnusmerkistö | FRAUD
            et | arvutikelmuse toimepanemine | COMPUTER_FRAUD
            et | narkootilise aine ebaseaduslik käitlemine | DRUG_TRAFFICKING
            lt | stambaus masto sukčiavimas | FRAUD
            lt | vaikų pornografinio turinio dalykų platinimas | CHILD_SEXUAL_ABUSE_MATERIAL
            lv | slepkavība pastiprinošos apstākļos | HOMICIDE
            lv | krāpšana automatizētā datu apstrādes sistēmā | COMPUTER_FRAUD
            es | acceso abusivo a un sistema informático | ILLEGAL_ACCESS
            es | hurto por medios informáticos | COMPUTER_FRAUD
            pt | burla informática e nas comunicações | COMPUTER_FRAUD
            pt | divulgação de cena de sexo explícito ou pornográfica envolvendo criança | CHILD_SEXUAL_ABUSE_MATERIAL
            """)
    void chargeWordsShowTheirConduct(String language, String text, String expected) {
        assertThat(conduct(text)).as(language).containsKey(expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            de | Verunglimpfung des Bundespräsidenten | POLITICAL_EXPRESSION
            de | organisierte Sitzblockaden auf Autobahnen | PEACEFUL_ASSEMBLY
            it | pubblicazione di notizie false, esagerate o tendenziose | FALSE_NEWS
            it | offesa all'onore e al prestigio del Presidente della Repubblica | POLITICAL_EXPRESSION
            nl | opruiing via sociale media | POLITICAL_EXPRESSION
            sv | deltog i en fredlig sittstrejk | PEACEFUL_ASSEMBLY
            da | utilbørlig behandling af genstande med væsentlig religiøs betydning | RELIGIOUS_EXPRESSION
            fi | osallistui mielenosoitukseen | PEACEFUL_ASSEMBLY
            et | osales meeleavaldusel | PEACEFUL_ASSEMBLY
            lt | dvi tos pačios lyties poros | SAME_SEX_CONDUCT
            lv | viltus ziņu izplatīšana | FALSE_NEWS
            es | propagación de noticias falsas | FALSE_NEWS
            pt | ultraje ao Estado, seus símbolos e órgãos | POLITICAL_EXPRESSION
            """)
    void abusiveChargeWordsShowProtectedActivity(String language, String text, String expected) {
        Map<String, String> found = conduct(text);
        assertThat(found).as(language).containsKey(expected);
        assertThat(KB.conductClass(expected).orElseThrow().protectedActivity()).isTrue();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            es | Avisó de la falla a la Registraduría por correo electrónico | SECURITY_RESEARCHER
            es | publicó en su blog un informe de divulgación responsable | SECURITY_RESEARCHER
            es | el investigado dirige un canal de noticias | JOURNALIST
            pt | reportou a vulnerabilidade à empresa | SECURITY_RESEARCHER
            pt | o investigado mantém um site de notícias local | JOURNALIST
            de | Er meldete die Sicherheitslücke dem Hersteller | SECURITY_RESEARCHER
            de | sie betreibt ein Nachrichtenportal | JOURNALIST
            it | ha segnalato la vulnerabilità al gestore | SECURITY_RESEARCHER
            it | coordina le operazioni di soccorso in mare | HUMAN_RIGHTS_DEFENDER
            nl | Hij meldde het lek per e-mail | SECURITY_RESEARCHER
            sv | Han rapporterade sårbarheten till regionen | SECURITY_RESEARCHER
            da | hun fandt et sikkerhedshul i systemet | SECURITY_RESEARCHER
            da | skrev artikler om efterretningstjenesten | JOURNALIST
            fi | hän ilmoitti haavoittuvuudesta valmistajalle | SECURITY_RESEARCHER
            fi | epäilty työskentelee toimittajana | JOURNALIST
            et | ta teavitas turvaaugust süsteemi haldajat | SECURITY_RESEARCHER
            lt | jis pranešė apie pažeidžiamumą bendrovei | SECURITY_RESEARCHER
            lv | viņš atklāja ievainojamību e-pakalpojumā | SECURITY_RESEARCHER
            """)
    void protectedPeopleAreRecognisedByWhatTheyDo(String language, String text, String expected) {
        assertThat(roles(text)).as(language).containsKey(expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            de | Die Recherchen der Polizei ergaben, dass der Täter falsche Informationen angab
            it | i sistemi del presidio ospedaliero sono stati bloccati
            es | el denunciante recibió mensajes de la cuenta indicada
            pt | o denunciante apresentou queixa na delegacia
            nl | de daders kwamen via de achterdeur binnen
            es | pidieron un rescate a cambio de la clave de descifrado
            en | the body was found in a bog near the house
            en | the suspect ran away and the bank opposed the transfer
            fi | ohjelmiston toimittaja ilmoitti murrosta poliisille
            sv | gärningsmannen lurade offret att lämna ut koder
            """)
    void ordinaryWordsOfLegitimateRequestsTriggerNothingProtected(String language, String text) {
        conduct(text).keySet().forEach(id -> assertThat(KB.conductClass(id).orElseThrow().protectedActivity())
                .as(language + ": " + id + " from \"" + conduct(text).get(id) + "\"").isFalse());
        assertThat(roles(text)).as(language).isEmpty();
        assertThat(SECURITY.find(Lexicon.words(text))).as(language).isEmpty();
    }
}

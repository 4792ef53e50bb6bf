package org.habeas.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** A letter's language: the agency's setting, else its state's where Habeas writes it, else the operator's default. */
class LetterLanguageTest {

    private static Agency agency(String state, String language) {
        return new Agency(UUID.randomUUID(), "Agency", state, Agency.Kind.POLICE, List.of(), Agency.Status.ACTIVE,
                Instant.EPOCH, true, language);
    }

    @Test
    void theAgencysSettingThenItsStateThenTheOperator() {
        LetterLanguage l = new LetterLanguage("en", "FR=fr,MC=fr,DE=de,ES=es");
        assertThat(l.of(agency("ES", null))).isEqualTo(Locale.of("es"));
        assertThat(l.of(agency("DE", "fr"))).isEqualTo(Locale.FRENCH);
        assertThat(l.of(agency("FR", "en"))).isEqualTo(Locale.ENGLISH);
        assertThat(l.of(agency("FR", null))).isEqualTo(Locale.FRENCH);
        assertThat(l.of(agency("MC", null))).isEqualTo(Locale.FRENCH);
        // Habeas does not write German letters: the operator's default
        assertThat(l.of(agency("DE", null))).isEqualTo(Locale.ENGLISH);
        assertThat(l.of(null)).isEqualTo(Locale.ENGLISH);
        LetterLanguage french = new LetterLanguage("fr", "");
        assertThat(french.of(agency("DE", null))).isEqualTo(Locale.FRENCH);
        assertThat(french.of(agency("DE", "en"))).isEqualTo(Locale.ENGLISH);
        // an operator's default Habeas does not write falls back to English
        assertThat(new LetterLanguage("de", "").of(agency("AT", null))).isEqualTo(Locale.ENGLISH);
    }
}

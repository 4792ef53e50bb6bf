package org.habeas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The CLI's language: --lang, else LC_ALL, LC_MESSAGES, LANG in that order, else English. */
class CliWordsTest {

    @Test
    void theLanguageComesFromTheOptionThenTheLocaleVariables() {
        assertThat(CliWords.language(null, Map.of())).isEqualTo(Locale.ENGLISH);
        assertThat(CliWords.language(null, Map.of("LANG", "fr_FR.UTF-8"))).isEqualTo(Locale.FRENCH);
        assertThat(CliWords.language(null, Map.of("LANG", "fr_FR.UTF-8", "LC_ALL", "C.UTF-8"))).isEqualTo(Locale.ENGLISH);
        assertThat(CliWords.language(null, Map.of("LC_MESSAGES", "fr_BE", "LANG", "en_GB"))).isEqualTo(Locale.FRENCH);
        assertThat(CliWords.language("fr", Map.of("LC_ALL", "en_US"))).isEqualTo(Locale.FRENCH);
        assertThat(CliWords.language("en", Map.of("LANG", "fr_FR"))).isEqualTo(Locale.ENGLISH);
        assertThat(CliWords.language("de", Map.of())).isEqualTo(Locale.ENGLISH);
        assertThat(CliWords.language(null, Map.of("LANG", "es_ES.UTF-8"))).isEqualTo(Locale.of("es"));
        assertThat(CliWords.of("es").say("open.valid", 2, "R-1", "firmado por op", "salida"))
                .isEqualTo("válido: 2 archivos coinciden con el manifiesto de la solicitud R-1, firmado por op; escritos en salida");
    }

    @Test
    void everyMessageHasBothLanguagesAndPlurals() {
        assertThat(CliWords.of("en").say("open.valid", 1, "R-1", "signed by op", "out"))
                .isEqualTo("valid: 1 file matches the manifest of request R-1, signed by op; written to out");
        assertThat(CliWords.of("en").say("open.valid", 3, "R-1", "signed by op", "out")).startsWith("valid: 3 files match ");
        assertThat(CliWords.of("fr").say("open.valid", 2, "R-1", "signé par op", "sortie"))
                .isEqualTo("valide : 2 fichiers correspondent au manifeste de la demande R-1, signé par op ; écrits dans sortie");
        assertThat(CliWords.of("fr").say("open.warning")).contains("n'a pas été vérifiée").contains("l'opérateur");
        assertThat(CliWords.of("en").say("open.warning")).contains("manifest's signature");
    }
}

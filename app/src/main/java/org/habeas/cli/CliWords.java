package org.habeas.cli;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * The words of the commands a requesting agency runs, in English or French: {@code --lang} if given, else the
 * first of LC_ALL, LC_MESSAGES and LANG that is set (as POSIX tools choose), English by default.
 */
final class CliWords {

    private final Locale language;
    private final ResourceBundle words;

    private CliWords(Locale language) {
        this.language = language;
        this.words = ResourceBundle.getBundle("cli", language,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** The words for {@code --lang} (may be null) and the process's environment. */
    static CliWords of(String lang) {
        return new CliWords(language(lang, System.getenv()));
    }

    /** French or Spanish if the option, or else the locale variables, name it; English otherwise. */
    static Locale language(String lang, Map<String, String> env) {
        String chosen = lang;
        for (String name : new String[] {"LC_ALL", "LC_MESSAGES", "LANG"}) {
            if (chosen != null && !chosen.isBlank()) {
                break;
            }
            chosen = env.get(name);
        }
        String c = chosen == null ? "" : chosen.strip().toLowerCase(Locale.ROOT);
        return c.startsWith("fr") ? Locale.FRENCH : c.startsWith("es") ? Locale.of("es") : Locale.ENGLISH;
    }

    Locale language() {
        return language;
    }

    /** The message of {@code key}, its arguments put in ({@code {0}}...). */
    String say(String key, Object... arguments) {
        String pattern = words.getString(key);
        return new MessageFormat(pattern, language).format(arguments);
    }
}

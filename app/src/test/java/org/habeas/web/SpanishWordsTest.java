package org.habeas.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every word of the pages, every label of a code and every message of the CLI has its Spanish text, and its French
 * one, with the same arguments as the English: nothing falls back to English, no argument is lost.
 */
class SpanishWordsTest {

    private static Properties read(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = SpanishWordsTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as(name).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    private static Set<String> arguments(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\{(\\d+)").matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"messages,es", "labels,es", "cli,es", "messages,fr", "labels,fr", "cli,fr"})
    void everyKeyHasATextWithTheSameArguments(String bundle, String language) throws IOException {
        Properties english = read(bundle + ".properties");
        Properties other = read(bundle + "_" + language + ".properties");
        Set<String> missing = new TreeSet<>(english.stringPropertyNames());
        missing.removeAll(other.stringPropertyNames());
        assertThat(missing).as("keys of " + bundle + ".properties without a text in " + language).isEmpty();
        Set<String> blank = new TreeSet<>();
        Set<String> differ = new TreeSet<>();
        for (String k : other.stringPropertyNames()) {
            String text = other.getProperty(k);
            if (text.isBlank()) {
                blank.add(k);
            }
            if (english.containsKey(k) && !arguments(english.getProperty(k)).equals(arguments(text))) {
                differ.add(k + ": " + text);
            }
        }
        assertThat(blank).as("blank texts in " + language).isEmpty();
        assertThat(differ).as("texts in " + language + " whose arguments are not the English ones").isEmpty();
    }
}

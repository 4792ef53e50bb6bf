package org.habeas.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every word of the pages and every label of a code has its French text: nothing falls back to English under fr. */
class FrenchWordsTest {

    private static Properties read(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = FrenchWordsTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as(name).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"messages", "labels", "cli"})
    void everyKeyHasAFrenchText(String bundle) throws IOException {
        Properties english = read(bundle + ".properties");
        Properties french = read(bundle + "_fr.properties");
        Set<String> missing = new TreeSet<>(english.stringPropertyNames());
        missing.removeAll(french.stringPropertyNames());
        assertThat(missing).as("keys of " + bundle + ".properties without a French text").isEmpty();
        Set<String> blank = new TreeSet<>();
        french.stringPropertyNames().stream().filter(k -> french.getProperty(k).isBlank()).forEach(blank::add);
        assertThat(blank).as("blank French texts").isEmpty();
    }
}

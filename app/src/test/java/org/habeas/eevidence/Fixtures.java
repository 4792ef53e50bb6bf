package org.habeas.eevidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Habeas's own HI-1 test messages ({@code src/test/resources/eevidence/}), filled in with fresh identifiers. */
final class Fixtures {

    /** The ETSI material, where the machine has it (never copied into the repository). */
    static final Path ETSI = Path.of(System.getProperty("habeas.etsi", "../../shared/etsi")).toAbsolutePath().normalize();

    private Fixtures() {
    }

    static EevidenceProperties properties(List<Path> schemas) {
        return new EevidenceProperties(null, null, "", "PKCS12", Map.of(), "IE", "habeas-test",
                List.of("V1.18.1", "V1.20.1", "V1.21.1", "V1.22.1", "V1.23.1"), "EU", "v1.2.1", schemas, 1 << 20, 64, "", null);
    }

    /** A message with every placeholder filled: fresh identifiers unless given. */
    static String message(String fixture, Map<String, String> values) {
        Map<String, String> v = new HashMap<>();
        for (String k : List.of("TX", "AUTH", "TASK1", "TASK2", "DOC")) {
            v.put(k, UUID.randomUUID().toString());
        }
        v.put("REF", UUID.randomUUID().toString().substring(0, 8));
        v.put("TS", Hi1Responses.MICROSECONDS.format(Instant.now().atOffset(ZoneOffset.UTC)));
        v.put("PRIORITY", "TenDaysASAP");
        v.put("VALIDATOR_ROLE", "JudgeCourtOrInvestigatingJudge");
        v.put("TYPE1", "SubscriberData");
        v.put("TYPE2", "TrafficData");
        v.put("PHONE", "4915112345678");
        v.put("EXPIRATION", "");
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        v.put("IP", "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254)));
        v.put("DESIRED", "SubsequentProductionRequest");
        v.put("DOCTYPE", "ProvideAdditionalInformation");
        v.put("DSTATUS", "Received");
        v.put("DELIVERY", UUID.randomUUID().toString());
        v.put("DUE", Instant.now().plus(java.time.Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        v.putAll(values);
        String text = read(fixture);
        Matcher m = Pattern.compile("\\{\\{([A-Z0-9_]+)}}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = v.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for " + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static byte[] bytes(String fixture, Map<String, String> values) {
        return message(fixture, values).getBytes(StandardCharsets.UTF_8);
    }

    static String read(String fixture) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/eevidence/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + fixture);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readFile(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.habeas.json;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * I-JSON (RFC 7493) at the door: a JSON text is refused, never altered, when it is not UTF-8 (§2.1), names a member
 * twice (§2.3), carries a string that is not Unicode text — a lone surrogate, a noncharacter (§2.1), or the NUL
 * character, which no database keeps — or a number beyond what an IEEE 754 double holds exactly (§2.2). Runs before
 * any schema or binding, so that every later step sees only text it can store as it came.
 */
public final class StrictJson {

    /**
     * One string or number that is not I-JSON, by its RFC 6901 JSON Pointer. {@code malformed}: the string is not
     * Unicode text at all (a lone surrogate has no character to decode to), so the body is not a JSON text a
     * receiver can read, as when its bytes are not UTF-8.
     */
    public record Problem(String pointer, String detail, boolean malformed) {
        public Problem(String pointer, String detail) {
            this(pointer, detail, false);
        }
    }

    /** What the check found: {@code malformed} (not UTF-8 or not JSON) or a list of problems (empty: fine). */
    public record Check(String malformed, List<Problem> problems) {
        public boolean ok() {
            return malformed == null && problems.isEmpty();
        }

        /** The problems that make the body unreadable as text (lone surrogates); empty when there are none. */
        public List<Problem> unreadable() {
            return problems.stream().filter(Problem::malformed).toList();
        }
    }

    /** RFC 7493 §2.2: integers beyond ±(2^53 − 1) are not exact in a double. */
    private static final BigDecimal MAX_EXACT = BigDecimal.valueOf(9_007_199_254_740_991L);
    /** Significant digits a double carries without loss. */
    private static final int MAX_DIGITS = 15;
    private static final BigDecimal MIN_MAGNITUDE = new BigDecimal(Double.MIN_NORMAL);

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private StrictJson() {
    }

    public static Check check(byte[] body) {
        String malformed = utf8(body);
        if (malformed != null) {
            return new Check(malformed, List.of());
        }
        List<Problem> problems = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), body)) {
            boolean done = false;
            for (JsonToken t = next(p, problems); t != null; t = next(p, problems)) {
                if (done) {
                    // RFC 8259 §2: a JSON text is one value
                    return new Check("The body is not valid JSON (line %d, column %d): it holds more than one value"
                            .formatted(p.currentLocation().getLineNr(), p.currentLocation().getColumnNr()), List.of());
                }
                done = p.streamReadContext().inRoot();
                switch (t) {
                    case PROPERTY_NAME -> text(p.currentName(), p, problems, "its name");
                    case VALUE_STRING -> text(p.getString(), p, problems, "it");
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(p.getText(), p, problems);
                    default -> {
                    }
                }
            }
        } catch (JacksonException e) {
            return new Check(describe(e), List.of());
        }
        return new Check(null, List.copyOf(problems));
    }

    /**
     * The next token. The parser refuses a member name holding a lone surrogate as it reads it; that is reported as a
     * problem of the object that holds the member (the name itself cannot be written back), and reading stops there.
     */
    private static JsonToken next(JsonParser p, List<Problem> problems) {
        try {
            return p.nextToken();
        } catch (JacksonException e) {
            String m = String.valueOf(e.getOriginalMessage());
            if (m.contains("surrogate") && m.contains("property name")) {
                var object = p.streamReadContext();
                String at = object.getParent() == null ? "" : object.getParent().pathAsPointer().toString();
                problems.add(new Problem(at, "has a member whose name contains a lone surrogate, which is not "
                        + "Unicode text", true));
                return null;
            }
            throw e;
        }
    }

    /** Why the bytes are not UTF-8 (overlong forms and encoded surrogates included), or null. */
    private static String utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            decoder.decode(in);
            return null;
        } catch (MalformedInputException e) {
            return "The body is not UTF-8 text (byte " + in.position() + "); JSON must be UTF-8 (RFC 8259 §8.1).";
        } catch (CharacterCodingException e) {
            return "The body is not UTF-8 text; JSON must be UTF-8 (RFC 8259 §8.1).";
        }
    }

    /** The first reason {@code s} is not Unicode text a database keeps as sent, or null. */
    public static String notText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return "contains the NUL character (U+0000)";
            }
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                return "contains a lone surrogate (U+%04X), which is not Unicode text".formatted((int) c);
            }
            if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) {
                return "contains the noncharacter U+%04X (RFC 7493 §2.1)".formatted(cp);
            }
        }
        return null;
    }

    private static boolean loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static void text(String s, JsonParser p, List<Problem> problems, String what) {
        String reason = notText(s);
        if (reason != null) {
            problems.add(new Problem(p.streamReadContext().pathAsPointer().toString(),
                    ("its name".equals(what) ? "its name " : "") + reason, loneSurrogate(s)));
        }
    }

    private static void number(String text, JsonParser p, List<Problem> problems) {
        BigDecimal n;
        try {
            n = new BigDecimal(text);
        } catch (NumberFormatException e) {
            // an exponent beyond what BigDecimal holds is beyond any double too
            problems.add(new Problem(p.streamReadContext().pathAsPointer().toString(),
                    "is a number beyond ±(2^53 − 1), more than I-JSON allows (RFC 7493 §2.2)"));
            return;
        }
        BigDecimal magnitude = n.abs();
        String reason = null;
        if (magnitude.compareTo(MAX_EXACT) > 0) {
            reason = "is a number beyond ±(2^53 − 1), more than I-JSON allows (RFC 7493 §2.2)";
        } else if (n.signum() != 0 && magnitude.compareTo(MIN_MAGNITUDE) < 0) {
            reason = "is a number too small for a double, which I-JSON does not allow (RFC 7493 §2.2)";
        } else if (n.stripTrailingZeros().precision() > MAX_DIGITS) {
            reason = "has more than " + MAX_DIGITS + " significant digits, more precision than I-JSON allows (RFC 7493 §2.2)";
        }
        if (reason != null) {
            problems.add(new Problem(p.streamReadContext().pathAsPointer().toString(), reason));
        }
    }

    /** A parse error in words, with its line and column. */
    public static String describe(JacksonException e) {
        String message = e.getOriginalMessage();
        var location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            return "The body is not valid JSON (line %d, column %d): %s"
                    .formatted(location.getLineNr(), location.getColumnNr(), message);
        }
        return "The body is not valid JSON: " + message;
    }
}

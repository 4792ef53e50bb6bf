package org.habeas.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte-exact form of a JSON value that Habeas stores
 * and hashes. Object members are sorted by their names' UTF-16 code units (RFC 8785 §3.2.3), strings are
 * escaped as ECMAScript's {@code JSON.stringify} does (§3.2.2.2), and numbers are written as ECMAScript
 * writes an IEEE 754 double (§3.2.2.3), so two documents that differ only in whitespace, member order or
 * number spelling canonicalize to the same text.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    public static String write(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
            // String.compareTo compares UTF-16 code units, which is exactly the order §3.2.3 asks for
            members.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeString(members.get(i).getKey(), out);
                out.append(':');
                write(members.get(i).getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isString()) {
            writeString(node.stringValue(), out);
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else if (node.isNumber()) {
            out.append(number(node.doubleValue()));
        } else {
            throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        // RFC 8785 §3.2.2.2: a lone surrogate is not text, and has no UTF-8 form to write
                        throw new IllegalArgumentException("a string holds a lone surrogate (U+%04X), which RFC 8785 "
                                .formatted((int) c) + "does not allow (§3.2.2.2)");
                    } else if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * ECMAScript Number::toString (ECMA-262 §7.1.12.1) for a finite double. Java (JDK 19 and later) and
     * ECMAScript both choose the shortest digit string that reads back as the same double; they differ only
     * in where they switch to exponent notation and how they spell the exponent.
     */
    public static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("NaN and Infinity are not JSON numbers (RFC 8785 §3.2.2.3)");
        }
        if (v == 0) {
            return "0"; // also for -0
        }
        BigDecimal shortest = shortestDigits(v);
        String digits = shortest.unscaledValue().abs().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // v = 0.digits × 10^n
        StringBuilder s = new StringBuilder(24);
        if (v < 0) {
            s.append('-');
        }
        if (k <= n && n <= 21) {
            s.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            s.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            s.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            s.append(digits.charAt(0));
            if (k > 1) {
                s.append('.').append(digits, 1, k);
            }
            int e = n - 1;
            s.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return s.toString();
    }

    /**
     * The shortest decimal that reads back as {@code v}, ties going to the one nearest {@code v}. Java's
     * {@code Double.toString} finds it too, except that it always writes two significant digits: where one
     * digit is enough (5e-324), it picks the nearest two-digit decimal (4.9e-324) instead.
     */
    private static BigDecimal shortestDigits(double v) {
        BigDecimal twoDigits = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        if (twoDigits.precision() != 2) {
            return twoDigits;
        }
        BigDecimal exact = new BigDecimal(v);
        BigDecimal best = null;
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
            BigDecimal candidate = twoDigits.round(new MathContext(1, mode));
            if (Double.parseDouble(candidate.toString()) == v
                    && (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                best = candidate;
            }
        }
        return best == null ? twoDigits : best.stripTrailingZeros();
    }
}

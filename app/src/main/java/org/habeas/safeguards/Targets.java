package org.habeas.safeguards;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

import com.ibm.icu.text.Normalizer2;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressSeqRange;
import inet.ipaddr.IPAddressString;

/**
 * Reads target values canonically: IP addresses and ranges in every notation the IPAddress library parses (CIDR,
 * netmask, wildcards, IPv4-mapped and IPv4-compatible IPv6, hexadecimal, octal and zero-padded octets, integers)
 * and dash ranges between two addresses, measured by the number of addresses they cover; and wildcards in any
 * Unicode form.
 */
final class Targets {

    /** An address range: how many addresses it covers, and whether they are IPv4 addresses (mapped ones too). */
    record Range(BigInteger count, boolean ipv4) {
    }

    private static final Normalizer2 NFKC_CF = Normalizer2.getNFKCCasefoldInstance();
    /** Dash punctuation of any kind between two addresses. */
    private static final Pattern DASH = Pattern.compile("\\s*\\p{Pd}\\s*");
    private static final IPAddress NAT64 = new IPAddressString("64:ff9b::/96").getAddress();
    private static final String STAR = Text.skeleton("*");
    private static final String PERCENT = Text.skeleton("%");

    private Targets() {
    }

    /** The range a value names, or {@code null} when it is not an IP address or range. */
    static Range range(String value) {
        return rangeOfNormalised(NFKC_CF.normalize(value), true);
    }

    /**
     * The range a value names, from the value already in NFKC case-folded form ({@link Text.Read#normalised()}).
     * With {@code screen}, a value that cannot be an address in any notation the library parses is not given to
     * it: the library answers such a value by throwing and catching an exception, the dearest step of reading a
     * target that is not an address.
     */
    static Range rangeOfNormalised(String normalised, boolean screen) {
        String v = normalised.strip();
        if (v.isEmpty() || v.length() > 100) {
            return null;
        }
        if (screen) {
            Range plain = dottedQuad(v);
            if (plain == null) {
                plain = dashedQuads(v);
            }
            if (plain != null) {
                return plain;
            }
        }
        IPAddressSeqRange range = null;
        IPAddress address = null;
        boolean valid = false;
        if (!screen || mayBeAddress(v)) {
            IPAddressString s = new IPAddressString(v);
            address = address(s);
            valid = address != null || valid(s);
        }
        if (address != null) {
            range = (address.isPrefixed() ? address.toPrefixBlock() : address).toSequentialRange();
        } else if (!valid && (!screen || dash(v))) {
            String[] ends = DASH.split(v);
            if (ends.length == 2) {
                IPAddress low = !screen || mayBeAddress(ends[0]) ? address(new IPAddressString(ends[0])) : null;
                IPAddress high = low == null || (screen && !mayBeAddress(ends[1])) ? null
                        : address(new IPAddressString(ends[1]));
                if (low != null && high != null && low.getIPVersion() == high.getIPVersion()) {
                    range = (low.isPrefixed() ? low.toPrefixBlock().getLower() : low)
                            .spanWithRange(high.isPrefixed() ? high.toPrefixBlock().getUpper() : high);
                }
            }
        }
        if (range == null) {
            return null;
        }
        IPAddress lower = range.getLower();
        boolean v4 = lower.isIPv4() || (lower.isIPv6() && (lower.toIPv6().isIPv4Mapped()
                || lower.toIPv6().isIPv4Compatible() || NAT64.contains(lower)));
        return new Range(range.getCount(), v4);
    }

    /**
     * The address the library reads, or {@code null}: the library fails with an index out of bounds on a prefix
     * length beyond the range of an {@code int} ({@code 1.2.3.4/2147483648}), which is no address.
     */
    private static IPAddress address(IPAddressString s) {
        try {
            return s.getAddress();
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static boolean valid(IPAddressString s) {
        try {
            return s.isValid();
        } catch (IndexOutOfBoundsException e) {
            return false;
        }
    }

    /** The counts of the prefix blocks of IPv4, by prefix length (2^32 for /0 down to 1 for /32). */
    private static final Range[] QUAD = new Range[33];

    static {
        for (int bits = 0; bits <= 32; bits++) {
            QUAD[bits] = new Range(BigInteger.ONE.shiftLeft(32 - bits), true);
        }
    }

    /**
     * The range of an IPv4 address in the common notation, read without the library: four decimal octets of at most
     * 255, none with a leading zero, and an optional prefix length of at most 32 without a leading zero ({@code
     * 198.51.100.7}, {@code 10.0.0.0/8}); {@code null} for any other value, which the library reads. A prefixed
     * address covers its whole block, as the library's prefix block does ({@code 10.0.0.1/8} is all of 10/8).
     */
    static Range dottedQuad(String v) {
        int n = v.length();
        int k = 0;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (k >= n || v.charAt(k) != '.') {
                    return null;
                }
                k++;
            }
            int start = k;
            int value = 0;
            while (k < n && k - start < 4 && v.charAt(k) >= '0' && v.charAt(k) <= '9') {
                value = value * 10 + (v.charAt(k) - '0');
                k++;
            }
            int digits = k - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && v.charAt(start) == '0')) {
                return null;
            }
        }
        if (k == n) {
            return QUAD[32];
        }
        if (v.charAt(k) != '/') {
            return null;
        }
        int start = ++k;
        int bits = 0;
        while (k < n && k - start < 3 && v.charAt(k) >= '0' && v.charAt(k) <= '9') {
            bits = bits * 10 + (v.charAt(k) - '0');
            k++;
        }
        int digits = k - start;
        if (k != n || digits == 0 || digits > 2 || bits > 32 || (digits > 1 && v.charAt(start) == '0')) {
            return null;
        }
        return QUAD[bits];
    }

    /**
     * The range between two IPv4 addresses in the common notation joined by one ASCII dash, without spaces or prefix
     * lengths ({@code 10.0.0.0-10.255.255.255}), read without the library: every address from the lower to the
     * higher, whichever comes first, as the library spans them; {@code null} for any other value. The library reads
     * such a value as a whole as no address (eight segments), then each end.
     */
    static Range dashedQuads(String v) {
        int dash = v.indexOf('-');
        if (dash < 0 || v.indexOf('-', dash + 1) >= 0) {
            return null;
        }
        long low = quad(v, 0, dash);
        long high = low < 0 ? -1 : quad(v, dash + 1, v.length());
        if (high < 0) {
            return null;
        }
        return new Range(BigInteger.valueOf(Math.abs(high - low) + 1), true);
    }

    /** The address {@code from}–{@code to} of a value holds: four decimal octets as {@link #dottedQuad} reads them; or -1. */
    private static long quad(String v, int from, int to) {
        long address = 0;
        int k = from;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (k >= to || v.charAt(k) != '.') {
                    return -1;
                }
                k++;
            }
            int start = k;
            int value = 0;
            while (k < to && k - start < 4 && v.charAt(k) >= '0' && v.charAt(k) <= '9') {
                value = value * 10 + (v.charAt(k) - '0');
                k++;
            }
            int digits = k - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && v.charAt(start) == '0')) {
                return -1;
            }
            address = address << 8 | value;
        }
        return k == to ? address : -1;
    }

    /**
     * The characters of every address notation the library parses (in NFKC case-folded text): hexadecimal digits,
     * the hexadecimal and binary prefixes, separators of segments, prefix lengths and ranges ({@code . : / - »}),
     * wildcards ({@code * ¿ _}), brackets, the UNC zone letter {@code s}, and spaces. A zone ({@code %} or
     * {@code §}) may hold any character, and an IPv6 address in base 85 (RFC 1924) is 20 characters of its own
     * alphabet.
     */
    private static final String NOTATION = "0123456789abcdefxs.:/-\u00bb*\u00bf_[] \t";
    private static final String BASE85 = "0123456789abcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
    private static final boolean[] IN_NOTATION = table(NOTATION);
    private static final boolean[] IN_BASE85 = table(BASE85 + BASE85.toUpperCase(Locale.ROOT));

    private static boolean[] table(String chars) {
        boolean[] t = new boolean[128];
        for (char ch : chars.toCharArray()) {
            if (ch < 128) {
                t[ch] = true;
            }
        }
        return t;
    }

    /**
     * Whether a value could be an address in some notation: false only when it has a character that no notation
     * uses, outside a zone and outside any run of 20 characters that could be base 85; and it is not a reverse-DNS
     * or UNC name.
     */
    static boolean mayBeAddress(String v) {
        boolean foreign = false;
        int run = 0;
        int longest = 0;
        for (int k = 0; k < v.length(); k++) {
            char ch = v.charAt(k);
            if (ch == '%' || ch == '\u00a7') {
                return true;
            }
            if (ch >= 128 ? ch != '\u00bb' && ch != '\u00bf' : !IN_NOTATION[ch]) {
                foreign = true;
            }
            run = ch < 128 && IN_BASE85[ch] ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return !foreign || longest >= 20 || v.contains(".arpa") || v.contains(".ip6.int") || v.contains("ipv6-literal");
    }

    /** Whether a value holds dash punctuation of any kind (the only values {@link #DASH} splits). */
    private static boolean dash(String v) {
        for (int k = 0; k < v.length(); ) {
            int cp = v.codePointAt(k);
            if (Character.getType(cp) == Character.DASH_PUNCTUATION) {
                return true;
            }
            k += Character.charCount(cp);
        }
        return false;
    }

    /** Whether a value holds a wildcard ({@code *}, {@code %}) in any of its forms (fullwidth, look-alikes). */
    static boolean wildcard(String value) {
        return wildcardOfNormalised(NFKC_CF.normalize(value));
    }

    /**
     * The same, from the value already in NFKC case-folded form ({@link Text.Read#normalised()}): the skeleton of
     * a text is that of its NFKC case-folded form.
     */
    static boolean wildcardOfNormalised(String normalised) {
        return mayHoldWildcard(normalised) && wildcardBySkeleton(normalised);
    }

    /** {@link #wildcardOfNormalised}, always by the text's skeleton: what the shortcut must agree with. */
    static boolean wildcardBySkeleton(String normalised) {
        String folded = Text.skeletonOfNormalised(normalised);
        return folded.contains(STAR) || folded.contains(PERCENT);
    }

    /**
     * Whether a text's skeleton could hold a wildcard: false when none of its characters has a skeleton with the
     * first character of {@link #STAR} or {@link #PERCENT} in it. A skeleton maps the text character by character
     * (after decomposing it), so it holds a character only if the skeleton of one of the text's characters does.
     * Characters beyond the Basic Multilingual Plane are not in the table, and always go by the skeleton.
     */
    static boolean mayHoldWildcard(String normalised) {
        for (int k = 0; k < normalised.length(); k++) {
            char ch = normalised.charAt(k);
            if (WILD.get(ch) || Character.isSurrogate(ch)) {
                return true;
            }
        }
        return false;
    }

    /** The characters of the Basic Multilingual Plane whose skeleton holds the first character of a wildcard's. */
    private static final java.util.BitSet WILD = new java.util.BitSet(0x10000);

    static {
        for (int ch = 0; ch < 0x10000; ch++) {
            if (Character.isSurrogate((char) ch)) {
                continue;
            }
            String folded = Text.skeletonOfNormalised(String.valueOf((char) ch));
            if (folded.indexOf(STAR.charAt(0)) >= 0 || folded.indexOf(PERCENT.charAt(0)) >= 0) {
                WILD.set(ch);
            }
        }
    }

    /** A target type as a requester reads it. */
    static String label(String type) {
        return switch (type == null ? "" : type) {
            case "ACCOUNT" -> "an account";
            case "EMAIL" -> "an e-mail address";
            case "PHONE" -> "a phone number";
            case "IP" -> "an IP address";
            case "DEVICE" -> "a device";
            case "DOMAIN" -> "a domain";
            default -> "an identifier";
        };
    }

    /** A request field as a requester reads it: "the facts", "target 2". */
    static String describeField(String field) {
        if (field.startsWith("targets[")) {
            int i = Integer.parseInt(field.substring(8, field.indexOf(']')));
            return "target " + (i + 1);
        }
        if (field.startsWith("demands[")) {
            int i = Integer.parseInt(field.substring(8, field.indexOf(']')));
            return "demand " + (i + 1);
        }
        return switch (field) {
            case "offence.statute" -> "the statute";
            case "offence.description" -> "the description of the offence";
            case "facts" -> "the facts";
            case "emergency.justification" -> "the emergency's justification";
            case "onwardTransfer.purpose" -> "the purpose of the onward transfer";
            default -> field.toLowerCase(Locale.ROOT);
        };
    }
}

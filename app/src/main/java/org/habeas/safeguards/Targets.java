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
        String v = NFKC_CF.normalize(value).strip();
        if (v.isEmpty() || v.length() > 100) {
            return null;
        }
        IPAddressSeqRange range = null;
        IPAddressString s = new IPAddressString(v);
        IPAddress address = s.getAddress();
        if (address != null) {
            range = (address.isPrefixed() ? address.toPrefixBlock() : address).toSequentialRange();
        } else if (!s.isValid()) {
            String[] ends = DASH.split(v);
            if (ends.length == 2) {
                IPAddress low = new IPAddressString(ends[0]).getAddress();
                IPAddress high = low == null ? null : new IPAddressString(ends[1]).getAddress();
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

    /** Whether a value holds a wildcard ({@code *}, {@code %}) in any of its forms (fullwidth, look-alikes). */
    static boolean wildcard(String value) {
        String folded = Text.skeleton(value);
        return folded.contains(STAR) || folded.contains(PERCENT);
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

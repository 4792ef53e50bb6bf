package org.habeas.law;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The codes Habeas knows states by: ISO 3166-1 alpha-2, and XK for Kosovo. Kosovo has no ISO 3166-1 code; XK lies
 * in the range ISO 3166-1 leaves to its users (XA-XZ) and is the code the European Commission and many registries
 * give Kosovo, so Habeas uses it too. It is the only user-assigned code Habeas accepts.
 */
public final class StateCodes {

    /** Kosovo: user-assigned, not an ISO 3166-1 code. */
    public static final String KOSOVO = "XK";

    private static final Set<String> CODES;

    static {
        Set<String> codes = new TreeSet<>(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2));
        codes.add(KOSOVO);
        CODES = Set.copyOf(codes);
    }

    private StateCodes() {
    }

    /** Whether the code names a state: an ISO 3166-1 alpha-2 code, or XK. */
    public static boolean known(String code) {
        return code != null && CODES.contains(code);
    }

    /** Every code {@link #known} accepts. */
    public static Set<String> all() {
        return CODES;
    }
}

package org.habeas.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Reporting periods: calendar half-years in UTC, written {@code 2026-H1} (January to June) and {@code 2026-H2}.
 * A period is closed from the first day of the next one; entries of a period are published once it is closed.
 */
public final class Periods {

    private Periods() {
    }

    public static String of(Instant t) {
        LocalDate d = t.atZone(ZoneOffset.UTC).toLocalDate();
        return d.getYear() + (d.getMonthValue() <= 6 ? "-H1" : "-H2");
    }

    /** Whether {@code period} is written as a period is: {@code 2026-H1} or {@code 2026-H2}. */
    public static boolean valid(String period) {
        return period != null && period.matches("\\d{4}-H[12]");
    }

    /** The first day of the period. */
    public static LocalDate opens(String period) {
        LocalDate closes = closes(period);
        return period.endsWith("H1") ? closes.withMonth(1) : closes.minusYears(1).withMonth(7);
    }

    /** The first day after the period, when it closes. */
    public static LocalDate closes(String period) {
        if (!valid(period)) {
            throw new IllegalArgumentException("not a period: " + period);
        }
        int year = Integer.parseInt(period.substring(0, 4));
        return period.endsWith("H1") ? LocalDate.of(year, 7, 1) : LocalDate.of(year + 1, 1, 1);
    }

    public static boolean closed(String period, Instant now) {
        return !now.atZone(ZoneOffset.UTC).toLocalDate().isBefore(closes(period));
    }

    /**
     * How many of a bundle's entries, in log order, are published at {@code now}: those before the first entry of a
     * period that is still open. The entry bundles are served, and reports counted, by this one rule.
     */
    static int publishedPrefix(java.util.List<String> periods, Instant now) {
        int n = 0;
        while (n < periods.size() && closed(periods.get(n), now)) {
            n++;
        }
        return n;
    }
}

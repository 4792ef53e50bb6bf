package org.habeas.safeguards;

import java.time.LocalDate;
import java.util.List;

/** The reduced scope the assessment proposes; {@code null} fields are left as requested. */
public record Narrowing(Period period, Integer preservationDays, Integer durationDays, List<String> dataCategories,
        LocalDate nonDisclosureUntil) {

    public record Period(LocalDate from, LocalDate to) {
    }

    static final Narrowing NONE = new Narrowing(null, null, null, null, null);

    boolean isEmpty() {
        return equals(NONE);
    }

    /** Combines two proposals; where both narrow the same field, the narrower value wins. */
    Narrowing merge(Narrowing o) {
        return new Narrowing(
                period == null ? o.period : o.period == null ? period : intersect(period, o.period),
                min(preservationDays, o.preservationDays),
                min(durationDays, o.durationDays),
                dataCategories == null ? o.dataCategories
                        : o.dataCategories == null ? dataCategories
                        : dataCategories.stream().filter(o.dataCategories::contains).toList(),
                nonDisclosureUntil == null ? o.nonDisclosureUntil
                        : o.nonDisclosureUntil == null || nonDisclosureUntil.isBefore(o.nonDisclosureUntil)
                        ? nonDisclosureUntil : o.nonDisclosureUntil);
    }

    private static Integer min(Integer a, Integer b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Math.min(a, b);
    }

    private static Period intersect(Period a, Period b) {
        LocalDate from = a.from().isAfter(b.from()) ? a.from() : b.from();
        LocalDate to = a.to().isBefore(b.to()) ? a.to() : b.to();
        return new Period(from, to);
    }
}

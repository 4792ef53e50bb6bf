package org.habeas.casework;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Codes as people read them, for letters and the pages requesters see ({@code ${@plainWords...}} in templates): a
 * rule by its name, never its id, and Habeas's own safeguards cited as the operator's published policy rather than as
 * if they were law.
 */
@Component("plainWords")
public class PlainWords {

    /** How the knowledge base cites Habeas's own safeguards: "Habeas safeguard R3 (what it says)". */
    private static final Pattern OWN_SAFEGUARD = Pattern.compile("^Habeas safeguards? R\\d+(?:[-–,/ ]+R?\\d+)*\\s*(?:\\((.*)\\))?\\s*$");

    private final MessageSource labels;
    private final java.time.Clock clock;

    PlainWords(MessageSource labels, java.time.Clock clock) {
        this.labels = labels;
        this.clock = clock;
    }

    /** A role by its name in the current language, for a role code (ANALYST) or its English name (Analyst). */
    public String role(String role) {
        if (role == null) {
            return "";
        }
        for (org.habeas.accounts.UserRole r : org.habeas.accounts.UserRole.values()) {
            if (r.name().equals(role) || r.label().equals(role)) {
                String found = labels.getMessage("role." + r.name(), null, null,
                        org.springframework.context.i18n.LocaleContextHolder.getLocale());
                return found != null ? found : r.label();
            }
        }
        return role;
    }

    /** The time left until a moment, to the hour, in the current language: "3 days 4 hours left", "overdue by 5 hours". */
    public String left(java.time.Instant due) {
        Locale language = org.springframework.context.i18n.LocaleContextHolder.getLocale();
        java.time.Duration d = java.time.Duration.between(clock.instant(), due);
        java.time.Duration abs = d.abs();
        long days = abs.toDays();
        long hours = abs.minusDays(days).toHours();
        String text = days > 0 ? message("time.days", days, language)
                + (hours > 0 ? " " + message("time.hours", hours, language) : "")
                : hours > 0 ? message("time.hours", hours, language) : message("time.underHour", 0, language);
        return message(d.isNegative() ? "time.overdueBy" : "time.left", text, language);
    }

    private String message(String key, Object argument, Locale language) {
        return labels.getMessage(key, new Object[] {argument}, key, language);
    }

    /** A legal basis as a letter cites it: provisions of law as they are, Habeas's own safeguards as policy. */
    public static String citation(String basis) {
        if (basis == null) {
            return "";
        }
        Matcher m = OWN_SAFEGUARD.matcher(basis.strip());
        if (!m.matches()) {
            return basis;
        }
        String says = m.group(1);
        return "the operator's published safeguards policy" + (says == null || says.isBlank() ? "" : ": " + says);
    }

    /** {@link #citation} for templates. */
    public String cite(String basis) {
        return citation(basis);
    }

    /** A safeguard rule by its name ("Bounded period"), for a rule id such as PERIOD_BOUND. */
    public String rule(String id) {
        return label("rule.", id);
    }

    /** A safeguard rule's name in a given language. */
    public String rule(String id, Locale language) {
        return label("rule.", id, language);
    }

    /** Any code of labels.properties under its prefix ("state.", "decision.", "event."), else the code made readable. */
    public String label(String prefix, Object code) {
        return label(prefix, code, org.springframework.context.i18n.LocaleContextHolder.getLocale());
    }

    /** {@link #label(String, Object)} in a given language (letters are written in English). */
    public String label(String prefix, Object code, Locale language) {
        if (code == null) {
            return "";
        }
        String c = code.toString();
        String found = labels.getMessage(prefix + c, null, null, language);
        if (found != null) {
            return found;
        }
        String words = c.replace('_', ' ').toLowerCase(Locale.ROOT);
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}

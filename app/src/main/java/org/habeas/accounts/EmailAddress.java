package org.habeas.accounts;

import java.util.List;
import java.util.Locale;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/** A user's e-mail address: checked (RFC 5322 addr-spec, through Jakarta Mail), stored in lower case, shown masked. */
final class EmailAddress {

    private EmailAddress() {
    }

    /** The address in lower case; refused (naming the field {@code email}) unless it is one plain address. */
    static String normalize(String email) {
        if (email == null || email.isBlank()) {
            throw new Agencies.Refused("email", "is required: set-up links are sent to this address");
        }
        String s = email.strip();
        if (s.length() > 254 || s.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c > 0x7e)) {
            throw new Agencies.Refused("email", "must be one plain address like name@example.org");
        }
        try {
            InternetAddress a = new InternetAddress(s, true);
            a.validate();
            String addr = a.getAddress();
            int at = addr.lastIndexOf('@');
            if (a.getPersonal() != null || !addr.equals(s) || at < 1 || !addr.substring(at + 1).contains(".")
                    || addr.endsWith(".")) {
                throw new AddressException("not a plain address with a domain");
            }
            return addr.toLowerCase(Locale.ROOT);
        } catch (AddressException e) {
            throw new Agencies.Refused("email", "must be one plain address like name@example.org");
        }
    }

    /** Refused unless the address is in one of the agency's verified domains (when it has any). */
    static void requireDomain(String email, List<String> domains) {
        if (domains == null || domains.isEmpty()) {
            return;
        }
        String domain = email.substring(email.lastIndexOf('@') + 1);
        if (domains.stream().noneMatch(d -> d.equalsIgnoreCase(domain))) {
            throw new Agencies.Refused("email", "must be in one of the agency's verified domains " + domains);
        }
    }

    /** What an administrator sees of an address a link went to: {@code a…@example.org}. */
    static String masked(String email) {
        if (email == null) {
            return "";
        }
        int at = email.lastIndexOf('@');
        return at < 1 ? "…" : email.charAt(0) + "…" + email.substring(at);
    }
}

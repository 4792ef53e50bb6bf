package org.habeas.safeguards;

import java.util.List;

/**
 * One rule's verdict on a request: the rule, its effect, a reason a requester can read and act on, and the
 * provisions it rests on. {@code unconfirmed} lists the facts the finding relies on that Habeas has not
 * confirmed (empty when every fact is verified or from a secondary source).
 */
public record Finding(String rule, Effect effect, String reason, List<String> basis, List<String> unconfirmed) {

    public Finding {
        basis = List.copyOf(basis);
        unconfirmed = List.copyOf(unconfirmed);
    }
}

package org.habeas.transparency;

import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one row of a transparency report (or of its total): requests received in the period and what
 * happened to them, as the public log records it.
 */
public final class Figures {

    public long requests;
    public long accounts;
    public long someDataProduced;
    public long contentProduced;
    public long nonContentOnly;
    public long noDataProduced;
    public long refused;
    public final Map<String, Long> refusedByRule = new TreeMap<>();
    public long narrowed;
    public long escalated;
    public long withdrawn;
    public long emergencyRequests;
    public long emergencyDisclosures;
    public long emergencyAccounts;
    public long preservationRequests;
    public long accountsPreserved;
    public long nonDisclosureOrders;
    public long usersNotified;

    void add(Figures o) {
        requests += o.requests;
        accounts += o.accounts;
        someDataProduced += o.someDataProduced;
        contentProduced += o.contentProduced;
        nonContentOnly += o.nonContentOnly;
        noDataProduced += o.noDataProduced;
        refused += o.refused;
        o.refusedByRule.forEach((k, v) -> refusedByRule.merge(k, v, Long::sum));
        narrowed += o.narrowed;
        escalated += o.escalated;
        withdrawn += o.withdrawn;
        emergencyRequests += o.emergencyRequests;
        emergencyDisclosures += o.emergencyDisclosures;
        emergencyAccounts += o.emergencyAccounts;
        preservationRequests += o.preservationRequests;
        accountsPreserved += o.accountsPreserved;
        nonDisclosureOrders += o.nonDisclosureOrders;
        usersNotified += o.usersNotified;
    }

    /** Every figure by name, in a fixed order (the report's columns). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("requests", requests);
        m.put("accounts", accounts);
        m.put("someDataProduced", someDataProduced);
        m.put("contentProduced", contentProduced);
        m.put("nonContentOnly", nonContentOnly);
        m.put("noDataProduced", noDataProduced);
        m.put("refused", refused);
        m.put("refusedByRule", refusedByRule);
        m.put("narrowed", narrowed);
        m.put("escalated", escalated);
        m.put("withdrawn", withdrawn);
        m.put("emergencyRequests", emergencyRequests);
        m.put("emergencyDisclosures", emergencyDisclosures);
        m.put("emergencyAccounts", emergencyAccounts);
        m.put("preservationRequests", preservationRequests);
        m.put("accountsPreserved", accountsPreserved);
        m.put("nonDisclosureOrders", nonDisclosureOrders);
        m.put("usersNotified", usersNotified);
        return m;
    }
}

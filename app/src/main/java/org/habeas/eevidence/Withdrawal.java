package org.habeas.eevidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.habeas.accounts.Caller;
import org.habeas.accounts.UserRole;
import org.habeas.casework.Cases;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.w3c.dom.Element;

/**
 * {@code /eevidence/withdraw}: the issuing authority withdraws its order, an UPDATE of the AuthorisationObject to
 * DesiredStatus Cancelled (the tasks may be updated with it). The case is withdrawn as if the agency's officer had
 * withdrawn it; an order already executing or closed cannot be, and says so.
 */
final class Withdrawal {

    /** What the message asks: the request, and one UPDATEResponse per action. */
    record Asked(UUID requestId, String authorisationId, String authAction, List<Hi1Responses.Result> results) {
    }

    private Withdrawal() {
    }

    static Asked read(Hi1Message m, Dictionaries dictionaries, EevidenceStore store, UUID agency) {
        String authId = null;
        String authAction = null;
        UUID requestId = null;
        List<Hi1Responses.Result> results = new ArrayList<>();
        List<String[]> tasks = new ArrayList<>();
        for (Hi1Message.Action a : m.actions()) {
            if (!"UPDATE".equals(a.verb())) {
                throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, a.id(), a.verb()
                        + " is not part of a withdrawal: the AuthorisationObject is UPDATEd to Cancelled.");
            }
            Element o = a.object();
            String id = Hi1.text(o, Hi1.CORE, "ObjectIdentifier").orElseThrow(() -> new Hi1Fault(
                    Hi1Fault.REQUIRED_MISSING, a.id(), "HI1Object/ObjectIdentifier is missing."));
            String[] type = Hi1.xsiType(o).orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING, a.id(),
                    "UPDATE/HI1Object has no xsi:type."));
            Optional<EevidenceStore.Known> known = store.known(id);
            if (known.isEmpty() || !agency.equals(known.get().agencyId()) || !known.get().type().equals(type[1])) {
                throw new Hi1Fault(Hi1Fault.UPDATE_OBJECT_MISSING, a.id(), type[1] + " " + id + " does not exist.");
            }
            if (requestId != null && !requestId.equals(known.get().requestId())) {
                throw new Hi1Fault(Hi1Fault.BUSINESS_LOGIC, a.id(), "The objects of one withdrawal belong to one order.");
            }
            requestId = known.get().requestId();
            if ("AuthorisationObject".equals(type[1])) {
                String status = dictionaries.read(Hi1.child(o, Hi1.AUTH, "AuthorisationDesiredStatus").orElse(null),
                        a.id(), "auth:AuthorisationDesiredStatus", List.of("ETSI/AuthorisationDesiredStatus"))
                        .orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING, a.id(),
                                "auth:AuthorisationDesiredStatus is missing: a withdrawal sets it to Cancelled."))
                        .value();
                if (!"Cancelled".equals(status)) {
                    throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, a.id(), "auth:AuthorisationDesiredStatus is " + status
                            + "; a withdrawal sets it to Cancelled.");
                }
                authId = id;
                authAction = a.id();
            } else if (type[1].endsWith("TaskObject")) {
                tasks.add(new String[] {a.id(), id});
            } else {
                throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, a.id(), "A withdrawal updates the AuthorisationObject and "
                        + "its tasks, not a " + type[1] + ".");
            }
            results.add(Hi1Responses.Result.ok(a.id(), "UPDATE", id));
        }
        if (authId == null) {
            throw Hi1Fault.message(Hi1Fault.REQUIRED_MISSING, "A withdrawal UPDATEs the AuthorisationObject to "
                    + "AuthorisationDesiredStatus Cancelled; the message has none.");
        }
        return new Asked(requestId, authId, authAction, results);
    }

    /** Withdraws the case as the sending agency. */
    static void withdraw(Cases cases, Asked asked, Hi1Message.Header h, UUID agency) {
        try {
            as(h, agency, () -> cases.withdraw(asked.requestId(), "Withdrawn by the issuing authority (" + h.sender()
                    + ", transaction " + h.transactionId() + ") over ETSI TS 103 120."));
        } catch (Cases.Refused e) {
            throw new Hi1Fault(Hi1Fault.BUSINESS_LOGIC, asked.authAction(), "The order cannot be withdrawn: "
                    + e.getMessage() + ".");
        }
    }

    /** Runs {@code work} as the requester of {@code agency} that the message's sender stands for. */
    static void as(Hi1Message.Header h, UUID agency, Runnable work) {
        Caller caller = new Caller(null, "eevidence " + h.sender(), h.sender(), UserRole.REQUESTER, agency);
        SecurityContext previous = SecurityContextHolder.getContext();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated((Caller.Holder) () -> caller, null,
                List.of(new SimpleGrantedAuthority("ROLE_REQUESTER"))));
        SecurityContextHolder.setContext(context);
        try {
            work.run();
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }
}

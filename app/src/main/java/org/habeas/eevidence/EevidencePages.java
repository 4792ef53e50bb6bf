package org.habeas.eevidence;

import java.util.UUID;

import org.habeas.accounts.Caller;
import org.habeas.casework.Cases;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The e-Evidence form of the case page: Form 3, the provider's information that it cannot execute the order. */
@Controller
@org.habeas.web.Pages
class EevidencePages {

    private final Outbound outbound;

    EevidencePages(Outbound outbound) {
        this.outbound = outbound;
    }

    @PostMapping("/requests/{id}/case/form3")
    String form3(@PathVariable UUID id, @RequestParam(required = false) String reason,
            @RequestParam(required = false) String explanation, RedirectAttributes redirect) {
        Caller caller = Caller.require();
        if (!caller.role().casework()) {
            throw new Cases.Refused(Cases.Refused.Kind.FORBIDDEN, "role", "casework staff only");
        }
        try {
            outbound.nonExecution(id, reason, explanation, caller.displayName());
            redirect.addFlashAttribute("message", "Form 3 is on its way to the issuing authority; the case waits for "
                    + "the enforcing authority's decision on refusal.");
            return "redirect:/requests/" + id + "#h-case";
        } catch (Cases.Refused e) {
            redirect.addFlashAttribute("error", e.field() + ": " + e.getMessage());
            redirect.addFlashAttribute("failed", "form3");
            redirect.addFlashAttribute("failedField", e.field());
            redirect.addFlashAttribute("failedMessage", e.getMessage());
            redirect.addFlashAttribute("typed", java.util.Map.of("reason", reason == null ? "" : reason,
                    "explanation", explanation == null ? "" : explanation));
            return "redirect:/requests/" + id + "#f-form3";
        }
    }
}

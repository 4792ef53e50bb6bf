package org.habeas.disclosure;

import java.util.UUID;

import org.habeas.casework.Cases;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Executing a decision from the request page, and confirming receipt from the portal. */
@Controller
class DisclosurePages {

    private final Production production;

    DisclosurePages(Production production) {
        this.production = production;
    }

    @PostMapping("/requests/{id}/package")
    String produce(@PathVariable UUID id, RedirectAttributes redirect) {
        try {
            Production.Package p = production.produce(id);
            redirect.addFlashAttribute("message", "Produced and offered to the requester until " + p.expiresAt() + ".");
        } catch (Cases.Refused e) {
            redirect.addFlashAttribute("error", e.field() + ": " + e.getMessage());
        }
        return "redirect:/requests/" + id + "#h-case";
    }

    @PostMapping("/portal/requests/{id}/receipt")
    String receipt(@PathVariable UUID id, RedirectAttributes redirect) {
        try {
            production.confirmReceipt(id);
            redirect.addFlashAttribute("message", "Receipt confirmed.");
        } catch (Cases.Refused e) {
            redirect.addFlashAttribute("error", e.field() + ": " + e.getMessage());
        }
        return "redirect:/portal/requests/" + id;
    }
}

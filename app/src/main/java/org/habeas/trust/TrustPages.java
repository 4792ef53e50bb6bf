package org.habeas.trust;

import java.util.UUID;

import org.habeas.accounts.Agencies;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The call-back form on the request page. */
@Controller
@org.habeas.web.Pages
class TrustPages {

    private final SenderTrust trust;

    TrustPages(SenderTrust trust) {
        this.trust = trust;
    }

    @PostMapping("/requests/{id}/callbacks")
    String record(@PathVariable UUID id, @RequestParam(required = false) UUID numberId,
            @RequestParam(required = false) String outcome, @RequestParam(required = false) String note,
            RedirectAttributes redirect) {
        try {
            trust.recordCallback(id, numberId, null, Callback.Outcome.valueOf(String.valueOf(outcome)), note);
            redirect.addFlashAttribute("message", "Call-back recorded.");
        } catch (Agencies.Refused e) {
            redirect.addFlashAttribute("error", e.field() + " " + e.getMessage());
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", "outcome must be CONFIRMED, NOT_CONFIRMED or NO_ANSWER");
        }
        return "redirect:/requests/" + id + "#h-sender";
    }
}

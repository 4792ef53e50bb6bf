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

    private final org.springframework.context.MessageSource words;
    private final org.habeas.web.Sentences sentences;

    TrustPages(SenderTrust trust, org.springframework.context.MessageSource words, org.habeas.web.Sentences sentences) {
        this.trust = trust;
        this.words = words;
        this.sentences = sentences;
    }

    @PostMapping("/requests/{id}/callbacks")
    String record(@PathVariable UUID id, @RequestParam(required = false) UUID numberId,
            @RequestParam(required = false) String outcome, @RequestParam(required = false) String note,
            RedirectAttributes redirect) {
        try {
            trust.recordCallback(id, numberId, null, Callback.Outcome.valueOf(String.valueOf(outcome)), note);
            redirect.addFlashAttribute("message", words.getMessage("case.callbackRecorded", null,
                    org.springframework.context.i18n.LocaleContextHolder.getLocale()));
        } catch (Agencies.Refused e) {
            redirect.addFlashAttribute("error", sentences.refusal(e.field(), e.getMessage(), " "));
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", sentences.refusal("outcome", "must be CONFIRMED, NOT_CONFIRMED or NO_ANSWER", " "));
        }
        return "redirect:/requests/" + id + "#h-sender";
    }
}

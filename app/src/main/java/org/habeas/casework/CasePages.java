package org.habeas.casework;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The case forms on the request page (staff) and in the portal (requesters). */
@Controller
class CasePages {

    private final Cases cases;

    CasePages(Cases cases) {
        this.cases = cases;
    }

    @PostMapping("/requests/{id}/case/{action}")
    String staff(@PathVariable UUID id, @PathVariable String action, @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String reason, @RequestParam(required = false) String justification,
            RedirectAttributes redirect) {
        run(redirect, () -> {
            switch (action) {
                case "propose" -> cases.propose(id, outcome(outcome), null, reason, justification);
                case "confirm" -> cases.decide(id, true, null, null, reason, justification);
                case "change" -> cases.decide(id, false, outcome(outcome), null, reason, justification);
                case "ask" -> cases.ask(id, reason);
                case "withdraw" -> cases.withdraw(id, reason);
                default -> throw new Cases.Refused(Cases.Refused.Kind.NOT_FOUND, "action", "no such action");
            }
        });
        return "redirect:/requests/" + id + "#h-case";
    }

    @PostMapping("/portal/requests/{id}/{action}")
    String requester(@PathVariable UUID id, @PathVariable String action, @RequestParam(required = false) String text,
            RedirectAttributes redirect) {
        run(redirect, () -> {
            switch (action) {
                case "answer" -> cases.answer(id, text);
                case "withdraw" -> cases.withdraw(id, text);
                default -> throw new Cases.Refused(Cases.Refused.Kind.NOT_FOUND, "action", "no such action");
            }
        });
        return "redirect:/portal/requests/" + id;
    }

    private static void run(RedirectAttributes redirect, Runnable command) {
        try {
            command.run();
            redirect.addFlashAttribute("message", "Done.");
        } catch (Cases.Refused e) {
            redirect.addFlashAttribute("error", e.field() + ": " + e.getMessage());
        }
    }

    private static Outcome outcome(String s) {
        try {
            return s == null || s.isBlank() ? null : Outcome.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, "outcome", "must be ACCEPT, NARROW, ESCALATE or REFUSE");
        }
    }
}

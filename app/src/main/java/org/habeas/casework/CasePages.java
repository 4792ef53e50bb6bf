package org.habeas.casework;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The case forms on the request page (staff) and in the portal (requesters). */
@Controller
@org.habeas.web.Pages
class CasePages {

    private final Cases cases;
    private final org.springframework.context.MessageSource words;

    private final org.habeas.web.Sentences engine;

    CasePages(Cases cases, org.springframework.context.MessageSource words, org.habeas.web.Sentences engine) {
        this.engine = engine;
        this.cases = cases;
        this.words = words;
    }

    @PostMapping("/requests/{id}/case/{action}")
    String staff(@PathVariable UUID id, @PathVariable String action, @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String reason, @RequestParam(required = false) String justification,
            @RequestParam(name = "scope", required = false) String scopeSent,
            @RequestParam(required = false) java.util.List<String> dataCategories,
            @RequestParam(required = false) String periodFrom, @RequestParam(required = false) String periodTo,
            @RequestParam(required = false) java.util.List<String> targets,
            @RequestParam(name = "files", required = false) java.util.List<org.springframework.web.multipart.MultipartFile> files,
            RedirectAttributes redirect) {
        java.util.Map<String, String> typed = new java.util.HashMap<>();
        typed.put("outcome", outcome);
        typed.put("reason", reason);
        typed.put("justification", justification);
        // the scope editor sends its fields with every proposal; they count only when the outcome narrows
        Cases.Scope typedScope = scopeSent == null ? null : new Cases.Scope(
                dataCategories == null ? java.util.List.of() : dataCategories, blankToNull(periodFrom),
                blankToNull(periodTo), targets == null ? java.util.List.of() : targets);
        Cases.Scope scope = "NARROW".equals(outcome) ? typedScope : null;
        boolean done = run(redirect, words.getMessage(switch (action) {
            case "propose" -> "case.done.propose";
            case "confirm", "change" -> "case.done.decide";
            case "ask" -> "case.done.ask";
            case "message" -> "case.done.message";
            case "withdraw" -> "case.done.withdraw";
            default -> "case.done.other";
        }, null, org.springframework.context.i18n.LocaleContextHolder.getLocale()), () -> {
            switch (action) {
                case "propose" -> cases.propose(id, outcome(outcome), scope, reason, justification);
                case "confirm" -> cases.decide(id, true, null, null, reason, justification);
                case "change" -> cases.decide(id, false, outcome(outcome), scope, reason, justification);
                case "ask" -> cases.ask(id, reason, uploads(files));
                case "message" -> cases.message(id, reason, uploads(files));
                case "withdraw" -> cases.withdraw(id, reason);
                default -> throw new Cases.Refused(Cases.Refused.Kind.NOT_FOUND, "action", "no such action");
            }
        });
        if (!done) {
            // the page again with what was typed, the error next to its field, scrolled to the form
            redirect.addFlashAttribute("failed", action);
            redirect.addFlashAttribute("typed", typed);
            redirect.addFlashAttribute("typedScope", typedScope);
            return "redirect:/requests/" + id + "#f-" + action;
        }
        return "redirect:/requests/" + id + "#h-case";
    }

    @PostMapping("/portal/requests/{id}/{action}")
    String requester(@PathVariable UUID id, @PathVariable String action, @RequestParam(required = false) String text,
            @RequestParam(name = "files", required = false) java.util.List<org.springframework.web.multipart.MultipartFile> files,
            RedirectAttributes redirect) {
        boolean done = run(redirect, words.getMessage(switch (action) {
            case "answer" -> "portal.answered";
            case "message" -> "portal.written";
            default -> "portal.withdrawn";
        }, null, org.springframework.context.i18n.LocaleContextHolder.getLocale()), () -> {
            switch (action) {
                case "answer" -> cases.answer(id, text, uploads(files));
                case "message" -> cases.message(id, text, uploads(files));
                case "withdraw" -> cases.withdraw(id, text);
                default -> throw new Cases.Refused(Cases.Refused.Kind.NOT_FOUND, "action", "no such action");
            }
        });
        if (!done) {
            // the page again with what was typed and the error next to its field
            redirect.addFlashAttribute("failed", action);
            redirect.addFlashAttribute("typed", java.util.Map.of("text", text == null ? "" : text));
            return "redirect:/portal/requests/" + id + "#f-" + action;
        }
        return "redirect:/portal/requests/" + id;
    }

    /** The files of a form, as the casework commands take them (a browser sends an empty part for no file). */
    static java.util.List<CaseAttachments.Upload> uploads(java.util.List<org.springframework.web.multipart.MultipartFile> files) {
        if (files == null) {
            return java.util.List.of();
        }
        java.util.List<CaseAttachments.Upload> out = new java.util.ArrayList<>();
        for (org.springframework.web.multipart.MultipartFile f : files) {
            if (f.isEmpty() && (f.getOriginalFilename() == null || f.getOriginalFilename().isBlank())) {
                continue;
            }
            try {
                out.add(new CaseAttachments.Upload(f.getOriginalFilename(), f.getContentType(), f.getBytes()));
            } catch (java.io.IOException e) {
                throw new Cases.Refused(Cases.Refused.Kind.INVALID, "files", "the upload was cut short; send it again");
            }
        }
        return out;
    }

    private boolean run(RedirectAttributes redirect, String success, Runnable command) {
        try {
            command.run();
            redirect.addFlashAttribute("message", success);
            return true;
        } catch (Cases.Refused e) {
            redirect.addFlashAttribute("error", engine.refusal(e.field(), e.getMessage()));
            redirect.addFlashAttribute("failedField", e.field());
            redirect.addFlashAttribute("failedMessage", engine.refused(e.getMessage()));
            return false;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Outcome outcome(String s) {
        try {
            return s == null || s.isBlank() ? null : Outcome.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, "outcome", "must be ACCEPT, NARROW, ESCALATE or REFUSE");
        }
    }
}

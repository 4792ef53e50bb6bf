package org.habeas.casework;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The assignment form on the request page: take the case, hand it back, or give it to a colleague. */
@Controller
@org.habeas.web.Pages
class AssignmentPages {

    private final Assignments assignments;
    private final org.springframework.context.MessageSource words;

    private final org.habeas.web.Sentences engine;

    AssignmentPages(Assignments assignments, org.springframework.context.MessageSource words, org.habeas.web.Sentences engine) {
        this.engine = engine;
        this.assignments = assignments;
        this.words = words;
    }

    @PostMapping("/requests/{id}/assignment")
    String assign(@PathVariable UUID id, @RequestParam(required = false) String assignee,
            @RequestParam(required = false) String expected, RedirectAttributes redirect) {
        try {
            Assignments.Assignment a = assignments.assign(id, assignee, expected == null ? "" : expected, true);
            java.util.Locale language = org.springframework.context.i18n.LocaleContextHolder.getLocale();
            redirect.addFlashAttribute("message", a == null ? words.getMessage("asg.done.none", null, language)
                    : words.getMessage("asg.done.to", new Object[] {a.displayName()}, language));
        } catch (Cases.Refused e) {
            redirect.addFlashAttribute("assignmentError", engine.refused(e.getMessage()));
        }
        return "redirect:/requests/" + id + "#assignment";
    }
}

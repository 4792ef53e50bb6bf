package org.habeas.casework;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The assignment form on the request page: take the case, hand it back, or give it to a colleague. */
@Controller
class AssignmentPages {

    private final Assignments assignments;

    AssignmentPages(Assignments assignments) {
        this.assignments = assignments;
    }

    @PostMapping("/requests/{id}/assignment")
    String assign(@PathVariable UUID id, @RequestParam(required = false) String assignee,
            @RequestParam(required = false) String expected, RedirectAttributes redirect) {
        try {
            Assignments.Assignment a = assignments.assign(id, assignee, expected == null ? "" : expected, true);
            redirect.addFlashAttribute("message", a == null ? "The case is no longer assigned to anyone."
                    : "The case is assigned to " + a.displayName() + ".");
        } catch (Cases.Refused e) {
            redirect.addFlashAttribute("assignmentError", e.getMessage());
        }
        return "redirect:/requests/" + id + "#assignment";
    }
}

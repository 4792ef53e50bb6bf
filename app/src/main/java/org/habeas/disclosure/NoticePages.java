package org.habeas.disclosure;

import org.habeas.accounts.Caller;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Notices to account holders as staff and oversight check them: which are waiting (for a non-disclosure order, or for
 * a mail server), how often each was tried and why it failed. Oversight never sees the recipients' addresses.
 */
@Controller
@org.habeas.web.Pages
class NoticePages {

    private final Notices notices;

    NoticePages(Notices notices) {
        this.notices = notices;
    }

    @GetMapping("/oversight/notices")
    String list(Model model) {
        boolean identifiers = Caller.require().seesIdentifiers();
        model.addAttribute("notices", notices.list(null).stream().map(n -> identifiers ? n : new Notices.Notice(n.id(),
                n.requestId(), n.recipient() == null ? null : "(withheld)", n.dueAt(), n.status(), n.subject(),
                n.sentAt(), n.attempts(), n.lastError(), n.lastTryAt())).toList());
        return "disclosure/notices";
    }
}

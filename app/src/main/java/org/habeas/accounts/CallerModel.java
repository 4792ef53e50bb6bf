package org.habeas.accounts;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Puts the signed-in caller into every page's model, for the header and role-dependent parts. */
@ControllerAdvice(annotations = org.habeas.web.Pages.class,
        assignableTypes = org.springframework.boot.webmvc.error.ErrorController.class)
class CallerModel {

    @ModelAttribute("caller")
    Caller caller() {
        return Caller.current().orElse(null);
    }
}

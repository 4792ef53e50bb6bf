package org.habeas.disclosure;

import java.util.UUID;

import org.habeas.casework.Cases;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Executing a decision from the request page, and confirming receipt from the portal. */
@Controller
@org.habeas.web.Pages
class DisclosurePages {

    private final Production production;
    private final EncryptionKeys keys;
    private final org.habeas.accounts.AccessRecord access;
    private final org.springframework.context.MessageSource words;

    private final org.habeas.web.Sentences engine;

    DisclosurePages(Production production, EncryptionKeys keys, org.habeas.accounts.AccessRecord access,
            org.springframework.context.MessageSource words, org.habeas.web.Sentences engine) {
        this.engine = engine;
        this.words = words;
        this.production = production;
        this.keys = keys;
        this.access = access;
    }

    /** The agency's encryption keys, and the form its officers register one with. */
    @GetMapping(Production.REGISTER_PAGE)
    String encryptionKey(Model model) {
        UUID agency = org.habeas.accounts.Caller.require().agencyId();
        model.addAttribute("keys", agency == null ? java.util.List.of() : keys.list(agency));
        return "disclosure/encryption-key";
    }

    @PostMapping(Production.REGISTER_PAGE)
    String registerEncryptionKey(@RequestParam(required = false) String jwk, Model model, RedirectAttributes redirect) {
        org.habeas.accounts.Caller caller = org.habeas.accounts.Caller.require();
        try {
            if (caller.agencyId() == null) {
                throw new Cases.Refused(Cases.Refused.Kind.FORBIDDEN, "agency", "only an agency's officers register its keys");
            }
            EncryptionKeys.EncryptionKey k = keys.register(caller.agencyId(), jwk == null ? "" : jwk.strip(), caller.name());
            access.record(caller.name(), caller.role().name(), "ENCRYPTION_KEY_REGISTERED", k.agencyId().toString(), k.kid());
            redirect.addFlashAttribute("message", words.getMessage("key.done", new Object[] {k.kid()},
                    org.springframework.context.i18n.LocaleContextHolder.getLocale()));
            return "redirect:" + Production.REGISTER_PAGE;
        } catch (Cases.Refused e) {
            // the page again, with what was typed and the error next to the field
            model.addAttribute("keys", caller.agencyId() == null ? java.util.List.of() : keys.list(caller.agencyId()));
            model.addAttribute("jwk", jwk);
            model.addAttribute("jwkError", engine.refused(e.getMessage()));
            return "disclosure/encryption-key";
        }
    }

    @PostMapping("/requests/{id}/package")
    String produce(@PathVariable UUID id, RedirectAttributes redirect) {
        try {
            Production.Package p = production.produce(id);
            redirect.addFlashAttribute("message", words.getMessage("package.done", new Object[] {
                    java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC)
                            .format(p.expiresAt())}, org.springframework.context.i18n.LocaleContextHolder.getLocale()));
        } catch (Cases.Refused e) {
            redirect.addFlashAttribute("error", engine.refusal(e.field(), e.getMessage()));
        }
        return "redirect:/requests/" + id + "#h-case";
    }

    @PostMapping("/portal/requests/{id}/receipt")
    String receipt(@PathVariable UUID id, RedirectAttributes redirect) {
        try {
            production.confirmReceipt(id);
            redirect.addFlashAttribute("message", words.getMessage("receipt.done", null,
                    org.springframework.context.i18n.LocaleContextHolder.getLocale()));
        } catch (Cases.Refused e) {
            redirect.addFlashAttribute("error", engine.refusal(e.field(), e.getMessage()));
        }
        return "redirect:/portal/requests/" + id;
    }
}

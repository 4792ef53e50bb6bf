package org.habeas.accounts;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Administration: users (create, with a one-time set-up link e-mailed to them; change role or e-mail address, disable,
 * unlock, send a new link), agencies (register, suspend, keys, call-back numbers, tokens), the access record; and every
 * user's own account page with their API tokens.
 */
@Controller
@org.habeas.web.Pages
class AdminPages {

    private final Users users;
    private final Agencies agencies;
    private final Tokens tokens;
    private final AccessRecord access;
    private final List<AgencyExtension> extensions;
    private final AccessGrants grants;

    private final org.springframework.context.MessageSource words;
    private final org.habeas.web.Sentences sentences;
    private final LetterLanguage letterLanguage;

    AdminPages(Users users, Agencies agencies, Tokens tokens, AccessRecord access, List<AgencyExtension> extensions,
            AccessGrants grants, org.springframework.context.MessageSource words, org.habeas.web.Sentences sentences,
            LetterLanguage letterLanguage) {
        this.letterLanguage = letterLanguage;
        this.words = words;
        this.sentences = sentences;
        this.grants = grants;
        this.users = users;
        this.agencies = agencies;
        this.tokens = tokens;
        this.access = access;
        this.extensions = extensions;
    }

    @GetMapping("/admin/users")
    String users(Model model) {
        model.addAttribute("users", users.list());
        model.addAttribute("agencies", agencies.byId());
        model.addAttribute("agencyList", agencies.list());
        model.addAttribute("roles", UserRole.values());
        model.addAttribute("now", java.time.Instant.now());
        model.addAttribute("grants", grants.pending());
        model.addAttribute("me", Caller.require());
        return "accounts/users";
    }

    @PostMapping("/admin/users")
    String createUser(@RequestParam(required = false) String username, @RequestParam(required = false) String displayName,
            @RequestParam(required = false) String role, @RequestParam(required = false) String agencyId,
            @RequestParam(required = false) String email, RedirectAttributes redirect) {
        try {
            UserRole r = parseRole(role);
            UUID agency = agencyId == null || agencyId.isBlank() ? null : UUID.fromString(agencyId);
            AccessGrants.Requested req = grants.requestNewUser(username, displayName, r, agency, email,
                    Caller.require());
            if (req.delivery() != null) {
                redirect.addFlashAttribute("message", say("adm.flash.created", req.user().username(), sent(req.delivery())));
            } else {
                redirect.addFlashAttribute("message", say("adm.flash.asked", req.user().username()));
            }
        } catch (Agencies.Refused e) {
            redirect.addFlashAttribute("error", refusal(e));
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", sentences.refusal("agency", "is not a registered agency", " "));
        }
        return "redirect:/admin/users";
    }

    @PostMapping("/admin/users/{id}")
    String changeUser(@PathVariable UUID id, @RequestParam String action, @RequestParam(required = false) String role,
            @RequestParam(required = false) String email, RedirectAttributes redirect) {
        Caller by = Caller.require();
        try {
            String message = List.of("unlock", "disable", "enable", "role", "email").contains(action)
                    ? say("adm.flash.done." + action) : null;
            switch (action) {
                case "unlock" -> users.update(id, null, null, true, by);
                case "disable" -> users.update(id, null, true, false, by);
                case "enable" -> users.update(id, null, false, false, by);
                case "role" -> {
                    if (grants.requestRole(id, parseRole(role), by).grant() != null) {
                        message = say("adm.flash.roleAsked");
                    }
                }
                case "link" -> message = say("adm.flash.olderLinks", sent(grants.sendSetupLink(id, by).delivery()));
                case "email" -> {
                    if (grants.requestEmail(id, email, by).grant() != null) {
                        message = say("adm.flash.emailAsked");
                    }
                }
                default -> throw new Agencies.Refused("action", "is not known");
            }
            redirect.addFlashAttribute("message", message);
        } catch (Agencies.Refused e) {
            redirect.addFlashAttribute("error", refusal(e));
        }
        return "redirect:/admin/users";
    }

    @PostMapping("/admin/grants/{id}")
    String decideGrant(@PathVariable UUID id, @RequestParam String action, RedirectAttributes redirect) {
        try {
            AccessGrants.Decided d = switch (action) {
                case "approve" -> grants.approve(id, Caller.require());
                case "refuse" -> grants.refuse(id, Caller.require());
                default -> throw new Agencies.Refused("action", "is not known");
            };
            if (d.delivery() != null) {
                redirect.addFlashAttribute("message", say("adm.flash.approvedSent", sent(d.delivery())));
            } else {
                redirect.addFlashAttribute("message", say("APPROVED".equals(d.grant().outcome()) ? "adm.flash.approved"
                        : "adm.flash.refused"));
            }
        } catch (Agencies.Refused e) {
            redirect.addFlashAttribute("error", refusal(e));
        }
        return "redirect:/admin/users";
    }

    @GetMapping("/admin/agencies")
    String agencies(Model model) {
        model.addAttribute("agencies", agencies.list());
        model.addAttribute("kinds", Agency.Kind.values());
        return "accounts/agencies";
    }

    @PostMapping("/admin/agencies")
    String register(@RequestParam(required = false) String name, @RequestParam(required = false) String state,
            @RequestParam(required = false) String kind, @RequestParam(required = false) String emailDomains,
            RedirectAttributes redirect) {
        try {
            Agency.Kind k;
            try {
                k = Agency.Kind.valueOf(String.valueOf(kind));
            } catch (IllegalArgumentException e) {
                throw new Agencies.Refused("kind", "must be chosen");
            }
            Agency a = agencies.register(name, state == null ? null : state.strip().toUpperCase(java.util.Locale.ROOT),
                    k, emailDomains == null ? List.of() : List.of(emailDomains.split("[,\\s]+")));
            access.record(Caller.require().name(), "ADMIN", "AGENCY_REGISTERED", a.id().toString(), a.name());
            return "redirect:/admin/agencies/" + a.id();
        } catch (Agencies.Refused e) {
            redirect.addFlashAttribute("error", refusal(e));
            return "redirect:/admin/agencies";
        }
    }

    @GetMapping("/admin/agencies/{id}")
    ModelAndView agency(@PathVariable UUID id) {
        return agencies.find(id).map(a -> {
            ModelAndView mv = new ModelAndView("accounts/agency");
            mv.addObject("a", a);
            mv.addObject("keys", agencies.keys(id));
            mv.addObject("numbers", agencies.callbackNumbers(id));
            mv.addObject("tokens", tokens.forAgencyOfficers(id));
            mv.addObject("officers", users.list().stream().filter(u -> id.equals(u.agencyId())).toList());
            mv.addObject("languages", Agencies.LETTER_LANGUAGES);
            mv.addObject("letterLanguage", letterLanguage.of(a).getLanguage());
            Map<String, Object> parts = new HashMap<>();
            extensions.forEach(e -> e.forAgency(id).ifPresent(p -> parts.put(e.name(), p)));
            mv.addAllObjects(parts);
            return mv;
        }).orElseGet(() -> {
            ModelAndView mv = new ModelAndView("not-found");
            mv.setStatus(HttpStatus.NOT_FOUND);
            return mv;
        });
    }

    @PostMapping("/admin/agencies/{id}")
    String changeAgency(@PathVariable UUID id, @RequestParam String action, @RequestParam(required = false) String jwk,
            @RequestParam(required = false) String kid, @RequestParam(required = false) String number,
            @RequestParam(required = false) String label, @RequestParam(required = false) String tokenId,
            @RequestParam(required = false) String language, RedirectAttributes redirect) {
        String by = Caller.require().name();
        try {
            switch (action) {
                case "suspend", "activate" -> {
                    Agency.Status s = action.equals("suspend") ? Agency.Status.SUSPENDED : Agency.Status.ACTIVE;
                    agencies.setStatus(id, s);
                    access.record(by, "ADMIN", "AGENCY_" + s.name(), id.toString(), null);
                }
                case "key" -> {
                    AgencyKey k = agencies.addKey(id, jwk, by);
                    access.record(by, "ADMIN", "KEY_REGISTERED", id.toString(), k.kid());
                }
                case "revoke-key" -> {
                    agencies.revokeKey(id, kid);
                    access.record(by, "ADMIN", "KEY_REVOKED", id.toString(), kid);
                }
                case "number" -> agencies.addCallbackNumber(id, number, label, by);
                case "language" -> {
                    Agency changed = agencies.setLanguage(id, language);
                    access.record(by, "ADMIN", "AGENCY_LANGUAGE", id.toString(),
                            changed.language() == null ? "default" : changed.language());
                }
                case "two-factor-on", "two-factor-off" -> {
                    boolean on = action.equals("two-factor-on");
                    agencies.setRequesterTwoFactor(id, on);
                    access.record(by, "ADMIN", "AGENCY_TWO_FACTOR", id.toString(),
                            on ? "required for requesters" : "optional for requesters");
                }
                case "revoke-token" -> tokens.revoke(UUID.fromString(String.valueOf(tokenId)), Caller.require());
                default -> throw new Agencies.Refused("action", "is not known");
            }
            redirect.addFlashAttribute("message", say("adm.flash.saved"));
        } catch (Agencies.Refused e) {
            redirect.addFlashAttribute("error", refusal(e));
        }
        return "redirect:/admin/agencies/" + id;
    }

    @GetMapping("/access")
    String accessRecord(@RequestParam(required = false) String actor, @RequestParam(required = false) String subject,
            @RequestParam(required = false) String action, Model model) {
        model.addAttribute("entries", access.list(actor, subject, action, 500));
        model.addAttribute("actor", actor);
        model.addAttribute("subject", subject);
        model.addAttribute("action", action);
        return "accounts/access";
    }

    @GetMapping("/account")
    String account(Model model) {
        Caller c = Caller.require();
        model.addAttribute("tokens", c.userId() == null ? List.of() : tokens.forUser(c.userId()));
        return "accounts/account";
    }

    @PostMapping("/account/tokens")
    String issueToken(@RequestParam(required = false) String name, @RequestParam(defaultValue = "90") int days,
            RedirectAttributes redirect) {
        Caller c = Caller.require();
        try {
            User u = users.find(c.userId()).orElseThrow(() -> new Agencies.Refused("user", "no such user"));
            redirect.addFlashAttribute("tokenValue", tokens.issueForUser(u, name, Duration.ofDays(days), c.name()).value());
        } catch (Agencies.Refused e) {
            redirect.addFlashAttribute("error", refusal(e));
        }
        return "redirect:/account";
    }

    @PostMapping("/account/tokens/{id}/revoke")
    String revokeToken(@PathVariable UUID id, RedirectAttributes redirect) {
        try {
            tokens.revoke(id, Caller.require());
            redirect.addFlashAttribute("message", say("adm.flash.tokenRevoked"));
        } catch (Agencies.Refused e) {
            redirect.addFlashAttribute("error", refusal(e));
        }
        return "redirect:/account";
    }

    /** What an administrator is told of a link: where it went (masked), never the link. */
    private String sent(SetupLinkMail.Delivery d) {
        return say(d.via().equals("e-mail") ? "adm.flash.sent" : "adm.flash.sentOutbox", d.sentTo());
    }

    /** A page's words in the reader's language. */
    private String say(String key, Object... arguments) {
        return words.getMessage(key, arguments.length == 0 ? null : arguments,
                org.springframework.context.i18n.LocaleContextHolder.getLocale());
    }

    /** A refusal as the admin pages show it: "field why" in English, in the reader's language otherwise. */
    private String refusal(Agencies.Refused e) {
        return sentences.refusal(e.field(), e.getMessage(), " ");
    }

    private static UserRole parseRole(String role) {
        try {
            return UserRole.valueOf(String.valueOf(role));
        } catch (IllegalArgumentException e) {
            throw new Agencies.Refused("role", "must be chosen");
        }
    }
}

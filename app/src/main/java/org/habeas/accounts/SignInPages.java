package org.habeas.accounts;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

import jakarta.servlet.http.HttpSession;

/** The sign-in page, the one-time set-up page, the start page each role lands on, and the refusal page. */
@Controller
@org.habeas.web.Pages
class SignInPages {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SignInPages.class);

    private final Users users;
    private final ObjectProvider<DemoAccounts> demo;
    private final ObjectProvider<ClientRegistrationRepository> oidc;
    private final Clock clock;

    SignInPages(Users users, ObjectProvider<DemoAccounts> demo, ObjectProvider<ClientRegistrationRepository> oidc,
            Clock clock) {
        this.users = users;
        this.demo = demo;
        this.oidc = oidc;
        this.clock = clock;
    }

    @GetMapping("/")
    String home() {
        return Caller.current().map(c -> switch (c.role()) {
            case REQUESTER -> "redirect:/portal";
            case ADMIN -> "redirect:/admin/users";
            default -> "redirect:/requests";
        }).orElse("redirect:/login");
    }

    @GetMapping("/login")
    String login(@RequestParam(required = false) String error, HttpSession session, Model model) {
        if (error != null && session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) instanceof AuthenticationException e) {
            model.addAttribute("error", e.getMessage());
        } else if (error != null) {
            model.addAttribute("error", "Sign-in failed.");
        }
        DemoAccounts d = demo.getIfAvailable();
        if (d != null) {
            model.addAttribute("demoUsers", d.users(clock.instant()));
            model.addAttribute("demoPassword", DemoAccounts.PASSWORD);
        }
        ClientRegistrationRepository repo = oidc.getIfAvailable();
        if (repo instanceof Iterable<?> registrations) {
            List<Map<String, String>> providers = new java.util.ArrayList<>();
            for (Object o : registrations) {
                ClientRegistration r = (ClientRegistration) o;
                providers.add(Map.of("name", r.getClientName(), "href", "/oauth2/authorization/" + r.getRegistrationId()));
            }
            model.addAttribute("providers", providers);
        }
        return "accounts/login";
    }

    /** The set-up page: the secret Habeas generated for this link, as text, as a link and as a QR code. */
    @GetMapping("/setup/{token}")
    ModelAndView setup(@PathVariable String token) {
        return users.pending(token).filter(p -> p.secret() != null).map(p -> {
            ModelAndView mv = new ModelAndView("accounts/setup");
            String otpauth = Totp.uri("Habeas", p.user().username(), p.secret());
            mv.addObject("user", p.user());
            mv.addObject("token", token);
            mv.addObject("secret", p.secret());
            mv.addObject("otpauth", otpauth);
            mv.addObject("qr", QrCode.svgDataUri(otpauth));
            mv.addObject("secondFactorRequired", users.needsSecondFactor(p.user()));
            return mv;
        }).orElseGet(() -> {
            ModelAndView mv = new ModelAndView("accounts/setup-invalid");
            mv.setStatus(HttpStatus.NOT_FOUND);
            return mv;
        });
    }

    /** Completes a set-up link. A secret sent by the browser is ignored: the link's own secret is enrolled. */
    @PostMapping("/setup/{token}")
    ModelAndView completeSetup(@PathVariable String token, @RequestParam(required = false) String password,
            @RequestParam(required = false) String confirm, @RequestParam(required = false) String code) {
        try {
            if (password == null || !password.equals(confirm)) {
                throw new Agencies.Refused("confirm", "the two passwords differ");
            }
            users.completeSetup(token, password, code);
            return new ModelAndView("redirect:/login?setUp");
        } catch (org.springframework.dao.DataAccessException e) {
            // nothing was changed (one transaction); the exception's text is not logged, it may quote the row
            log.warn("A set-up link could not be completed: the database answered {}", e.getClass().getSimpleName());
            ModelAndView mv = setup(token);
            if (mv.getStatus() != HttpStatus.NOT_FOUND) {
                mv.setStatus(HttpStatus.SERVICE_UNAVAILABLE);
                mv.addObject("field", "link");
                mv.addObject("error", "Habeas is busy. Try again in a moment.");
            }
            return mv;
        } catch (Agencies.Refused e) {
            ModelAndView mv = setup(token);
            if (mv.getStatus() == HttpStatus.NOT_FOUND) {
                return mv;
            }
            mv.setStatus(HttpStatus.UNPROCESSABLE_CONTENT);
            mv.addObject("field", e.field());
            mv.addObject("error", e.getMessage());
            return mv;
        }
    }

    @org.springframework.web.bind.annotation.RequestMapping("/denied")
    ModelAndView denied() {
        ModelAndView mv = new ModelAndView("accounts/denied");
        mv.setStatus(HttpStatus.FORBIDDEN);
        return mv;
    }
}

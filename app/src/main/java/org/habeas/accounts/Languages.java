package org.habeas.accounts;

import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;

/**
 * The language of the pages: the one chosen with {@code ?lang=} (kept in a cookie), else the browser's
 * (Accept-Language), among those Habeas is written in. A signed-in person's language is recorded on their account,
 * so that what Habeas tells them later (notifications, e-mails) is in it too.
 */
@Configuration
public class Languages implements WebMvcConfigurer {

    /** The languages of Habeas's pages, labels and notifications; the first is the default. */
    public static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.FRENCH, Locale.of("es"));

    private static final String RECORDED = Languages.class.getName() + ".recorded";

    private final Users users;

    Languages(Users users) {
        this.users = users;
    }

    /** A supported language for a code ("fr", "fr-CA"), else English. */
    public static Locale of(String code) {
        if (code == null) {
            return Locale.ENGLISH;
        }
        String language = Locale.forLanguageTag(code.replace('_', '-')).getLanguage();
        return SUPPORTED.stream().filter(l -> l.getLanguage().equals(language)).findFirst().orElse(Locale.ENGLISH);
    }

    @Bean
    LocaleResolver localeResolver() {
        AcceptHeaderLocaleResolver browser = new AcceptHeaderLocaleResolver();
        browser.setSupportedLocales(SUPPORTED);
        browser.setDefaultLocale(Locale.ENGLISH);
        CookieLocaleResolver chosen = new CookieLocaleResolver("habeas-lang");
        chosen.setDefaultLocaleFunction(browser::resolveLocale);
        chosen.setCookieSameSite("Lax");
        return chosen;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                String asked = request.getParameter("lang");
                LocaleResolver resolver = org.springframework.web.servlet.support.RequestContextUtils.getLocaleResolver(request);
                if (asked != null && resolver != null) {
                    Locale wanted = of(asked);
                    if (wanted.getLanguage().equals(asked.strip().toLowerCase(Locale.ROOT))) {
                        resolver.setLocale(request, response, wanted);
                    }
                }
                var session = request.getSession(false);
                if (session == null || resolver == null) {
                    return true; // a call with a token: its language says nothing of the person's
                }
                Caller.current().filter(c -> c.userId() != null).ifPresent(c -> {
                    String language = of(resolver.resolveLocale(request).toLanguageTag()).getLanguage();
                    if (!language.equals(session.getAttribute(RECORDED))) {
                        users.recordLanguage(c.userId(), language);
                        session.setAttribute(RECORDED, language);
                    }
                });
                return true;
            }
        });
    }
}

package org.habeas.safeguards;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.habeas.law.KnowledgeBase;
import org.habeas.law.StateCodes;
import org.habeas.law.StateProfile;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * What Habeas holds about a state, for staff: the page the request page links to, the same view as
 * {@code habeas law show STATE}: the ratings in force on a day, the classes the rules use, and every fact with
 * its source.
 */
@Controller
@org.habeas.web.Pages
class StatePages {

    private final KnowledgeBase kb;

    StatePages(KnowledgeBase kb) {
        this.kb = kb;
    }

    /** One row of the facts table. */
    record Row(String field, String value, String confidence, String source, String file) {
    }

    @GetMapping("/law/states/{code}")
    ModelAndView state(@PathVariable String code, @RequestParam(required = false) String on) {
        String c = code.toUpperCase(Locale.ROOT);
        LocalDate day;
        try {
            day = on == null || on.isBlank() ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(on);
        } catch (DateTimeParseException e) {
            day = null;
        }
        if (!StateCodes.known(c) || day == null) {
            ModelAndView mv = new ModelAndView("not-found");
            mv.setStatus(HttpStatus.NOT_FOUND);
            return mv;
        }
        StateProfile st = kb.state(c).orElse(null);
        List<Row> rows = new ArrayList<>();
        for (KnowledgeBase.Fact f : kb.facts()) {
            if (f.subject().equals(c) && !f.file().equals("statutes.yaml")) {
                rows.add(new Row(f.field(), f.value(), f.confidence().json(), f.source(), f.file()));
            }
        }
        List<String> ratings = new ArrayList<>();
        boolean high = false;
        if (st != null) {
            for (var r : List.of(st.onlineRating(day), st.freedomRating(day))) {
                if (r.isPresent()) {
                    ratings.add(r.get().describe());
                    high |= r.get().rating().highRisk();
                }
            }
        }
        ModelAndView mv = new ModelAndView("law/state");
        mv.addObject("code", c);
        mv.addObject("name", st != null ? st.name() : Locale.of("", c).getDisplayCountry(Locale.ENGLISH));
        mv.addObject("profile", st);
        mv.addObject("day", day);
        mv.addObject("ratings", ratings);
        mv.addObject("highRisk", high);
        mv.addObject("notCrimes", st == null ? List.of() : st.doesNotCriminalise().stream().sorted().toList());
        mv.addObject("protectedCrimes", st == null ? List.of() : st.criminalisesProtected().stream().sorted().toList());
        mv.addObject("capital", st == null ? List.of() : st.capitalConduct().stream().sorted().toList());
        mv.addObject("rows", rows);
        return mv;
    }
}

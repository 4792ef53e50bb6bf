package org.habeas.support;

import java.util.List;
import java.util.stream.Collectors;

import org.openqa.selenium.WebDriver;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;

/** axe-core's accessibility rules on the page the browser shows; the script comes with the library, nothing is fetched. */
public final class Axe {

    private Axe() {
    }

    /** The serious and critical violations on the current page, one line each: rule, impact and where. */
    public static List<String> seriousViolations(WebDriver browser) {
        List<Rule> violations = new AxeBuilder().analyze(browser).getViolations();
        return violations.stream().filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
                .map(v -> v.getId() + " (" + v.getImpact() + "): " + v.getHelp() + " at "
                        + v.getNodes().stream().map(n -> String.valueOf(n.getTarget())).collect(Collectors.joining(", ")))
                .toList();
    }
}

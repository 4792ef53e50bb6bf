package org.habeas.support;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import org.habeas.accounts.UserRole;
import org.openqa.selenium.WebDriver;

/**
 * Signs a browser in as the test accounts' users, each time with a TOTP code not used yet: a code works once, and
 * the server allows one step of drift.
 */
public final class SignIns {

    private final WebDriver browser;
    private final String baseUrl;
    private final TestAccounts accounts;
    private final Map<UserRole, Long> lastStep = new EnumMap<>(UserRole.class);

    public SignIns(WebDriver browser, String baseUrl, TestAccounts accounts) {
        this.browser = browser;
        this.baseUrl = baseUrl;
        this.accounts = accounts;
    }

    /** Signs in as the user of {@code role}, waiting for the next time step if this role's codes are used up. */
    public void as(UserRole role) throws InterruptedException {
        long step = Math.max(Instant.now().getEpochSecond() / 30, lastStep.getOrDefault(role, -1L) + 1);
        while (step - Instant.now().getEpochSecond() / 30 > 1) {
            Thread.sleep(1000);
        }
        lastStep.put(role, step);
        Browser.signIn(browser, baseUrl, accounts.users.get(role).username(), TestAccounts.PASSWORD,
                accounts.secrets.get(role), Instant.ofEpochSecond(step * 30 + 1));
    }
}

package org.habeas.support;

import org.springframework.test.context.DynamicPropertyRegistry;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/** A real SMTP server in the test JVM (GreenMail) on a free port of the loopback address, and Habeas pointed at it. */
public final class TestSmtp {

    private TestSmtp() {
    }

    /** A started server; the test class stops it once its tests are done. */
    public static GreenMail start() {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        return smtp;
    }

    /** Habeas's mail settings for {@code smtp}. */
    public static void properties(DynamicPropertyRegistry r, GreenMail smtp) {
        r.add("spring.mail.host", () -> "127.0.0.1");
        r.add("spring.mail.port", () -> smtp.getSmtp().getPort());
    }
}

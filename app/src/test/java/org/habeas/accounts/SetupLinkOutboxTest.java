package org.habeas.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import org.habeas.support.TestDatabases;
import org.habeas.support.TestMail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mock.env.MockEnvironment;

/**
 * Without an SMTP server: demo mode writes each set-up mail to {@code $HABEAS_HOME/outbox} and says so at start-up;
 * an installation with neither a server nor an outbox sends no link at all. Never to an administrator.
 */
@ExtendWith(OutputCaptureExtension.class)
class SetupLinkOutboxTest {

    private static final ObjectProvider<JavaMailSender> NO_SMTP =
            new StaticListableBeanFactory().getBeanProvider(JavaMailSender.class);

    private final User user = new User(UUID.randomUUID(), "outboxed", "Out Boxed", UserRole.ANALYST, null, false,
            false, 0, null, false, Instant.now(), "outboxed@staff.example");

    @Test
    void inDemoModeTheMailGoesToTheOutboxWhosePathIsPrintedAtStartUp(CapturedOutput output) throws Exception {
        Path home = TestDatabases.home("habeas-outbox");
        SetupLinkMail mail = new SetupLinkMail(NO_SMTP, new MockEnvironment().withProperty("server.port", "8080"),
                "notices@habeas.localhost", "", "", true, home);
        mail.ready(null);
        Path outbox = home.resolve("outbox").toAbsolutePath().normalize();
        assertThat(output.getOut()).contains("e-mails with set-up links are written to " + outbox);

        SetupLinkMail.Delivery d = mail.send(new Users.Invitation(user, "TOKEN-abc_123", Instant.parse("2026-12-08T10:00:00Z")),
                "An account was made for you.");
        assertThat(d.sentTo()).isEqualTo("o…@staff.example");
        assertThat(d.via()).isEqualTo("the outbox");
        assertThat(mail.outbox()).contains(outbox);
        try (var files = Files.list(outbox)) {
            Path f = files.findFirst().orElseThrow();
            String eml = Files.readString(f);
            assertThat(eml).contains("To: outboxed@staff.example").contains("http://localhost:8080/setup/TOKEN-abc_123");
            assertThat(f.getFileName().toString()).doesNotContain("TOKEN");
        }
        assertThat(output.getAll()).doesNotContain("TOKEN-abc_123");
    }

    @Test
    void withNeitherAServerNorAnOutboxNoLinkIsSentAndStartUpSaysSo(CapturedOutput output) {
        SetupLinkMail mail = new SetupLinkMail(NO_SMTP, new MockEnvironment(), "notices@habeas.localhost", "", "",
                false, TestDatabases.home("habeas-no-outbox"));
        mail.ready(null);
        assertThat(output.getOut()).contains("set-up links cannot be sent");
        assertThat(mail.outbox()).isEmpty();
        assertThatThrownBy(() -> mail.send(new Users.Invitation(user, "TOKEN-x", Instant.now()), "why"))
                .isInstanceOf(Agencies.Refused.class).hasMessageContaining("no mail server is configured")
                .extracting(e -> ((Agencies.Refused) e).field()).isEqualTo("mail");
    }

    @Test
    void addressesArePlainAndMasked() {
        assertThat(EmailAddress.normalize(" Ana.B@Staff.Example ")).isEqualTo("ana.b@staff.example");
        for (String bad : new String[] {"", "ana", "ana@", "@staff.example", "Ana <ana@staff.example>", "a@b",
                "a@staff.example,b@staff.example", "a b@staff.example", "ané@staff.example", "a@staff.example."}) {
            assertThatThrownBy(() -> EmailAddress.normalize(bad)).as(bad).isInstanceOf(Agencies.Refused.class)
                    .extracting(e -> ((Agencies.Refused) e).field()).isEqualTo("email");
        }
        assertThat(EmailAddress.masked("ana.b@staff.example")).isEqualTo("a…@staff.example");
        assertThat(TestMail.linkIn("x http://localhost:8080/setup/abc-_1 y")).isEqualTo("/setup/abc-_1");
    }
}

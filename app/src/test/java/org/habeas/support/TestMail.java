package org.habeas.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.habeas.accounts.SetupLinkMail;
import org.springframework.context.ApplicationContext;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/** Reads the set-up links Habeas wrote to its outbox (tests run without an SMTP server; see GreenMail tests for one). */
public final class TestMail {

    /** A set-up link's path in a message body. */
    public static final Pattern LINK = Pattern.compile("https?://[^/\\s]+(/setup/[A-Za-z0-9_-]+)");

    private TestMail() {
    }

    /** The path ({@code /setup/...}) of the newest set-up link written to the outbox for {@code email}. */
    public static String linkFor(ApplicationContext ctx, String email) {
        Path dir = ctx.getBean(SetupLinkMail.class).outbox().orElseThrow(() -> new AssertionError("no outbox"));
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".eml")).sorted().toList().reversed();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path f : files) {
            MimeMessage m = read(f);
            try {
                if (m.getAllRecipients()[0].toString().equalsIgnoreCase(email)) {
                    return linkIn(m.getContent().toString());
                }
            } catch (MessagingException | IOException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no mail to " + email + " in " + dir);
    }

    /** The path of the set-up link in a mail body. */
    public static String linkIn(String body) {
        Matcher m = LINK.matcher(body);
        if (!m.find()) {
            throw new AssertionError("no set-up link in: " + body);
        }
        return m.group(1);
    }

    private static MimeMessage read(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        } catch (IOException | MessagingException e) {
            throw new AssertionError(e);
        }
    }
}

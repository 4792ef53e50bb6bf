package org.habeas.disclosure;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/** E-mail through the SMTP server configured with {@code spring.mail.host} (and port, user, password). */
@Component
class MailNotifier implements Notifier {

    private final org.springframework.beans.factory.ObjectProvider<JavaMailSender> mailSender;
    private final String from;

    MailNotifier(org.springframework.beans.factory.ObjectProvider<JavaMailSender> mailSender,
            @Value("${habeas.notices.from:notices@habeas.localhost}") String from) {
        this.mailSender = mailSender;
        this.from = from;
    }

    /** Without an SMTP server configured, notices stay pending (and visible to oversight). */
    @Override
    public void send(String to, String subject, String body) {
        JavaMailSender mail = mailSender.getIfAvailable();
        if (mail == null) {
            throw new IllegalStateException("no SMTP server is configured (spring.mail.host)");
        }
        SimpleMailMessage m = new SimpleMailMessage();
        m.setFrom(from);
        m.setTo(to);
        m.setSubject(subject);
        m.setText(body);
        mail.send(m);
    }
}

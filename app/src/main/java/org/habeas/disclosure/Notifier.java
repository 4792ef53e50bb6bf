package org.habeas.disclosure;

/** How notices reach account holders. The default sends e-mail through SMTP ({@code spring.mail.*}). */
public interface Notifier {

    /** Sends one notice; throws if it could not be handed over. */
    void send(String to, String subject, String body);
}

package org.habeas.eevidence;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The e-Evidence channel's configuration ({@code habeas.eevidence.*}). Everything the TS 104 144 profile leaves
 * open, or that differs per member state, is here rather than in code.
 *
 * @param port               the HTTPS port of the mutual-TLS connector that serves {@code /eevidence/*}; absent: no
 *                           connector, and the endpoints refuse every call (no client certificate)
 * @param keyStore           Habeas's own server certificate and key (PKCS #12)
 * @param memberStates       per member state (ISO 3166 code, EL for Greece as in the EU's usage): the certificates
 *                           (PEM; a CA or the client certificate itself) its national system's client certificates
 *                           are issued by
 * @param receiverCountry    Habeas's own EndpointID in the HI-1 header: country
 * @param receiverIdentifier Habeas's own EndpointID in the HI-1 header: unique identifier
 * @param versions           the ETSIVersion values accepted; others are answered 3021
 * @param profileOwner       the NationalProfileOwner accepted (EU for the e-Evidence profile)
 * @param profileVersion     the NationalProfileVersion Habeas puts in a header it writes itself
 * @param schemas            folders holding the TS 103 120 XSDs (ETSI forge layout or flat); absent: messages are
 *                           checked by Habeas's own reading only, not against the XSDs
 * @param maxMessageBytes    larger messages are answered 3022
 * @param maxDepth           deeper element nesting is refused (3020)
 * @param notificationDictionary the Owner/Name of the dictionary of the profile's notification types (NonExecution,
 *                           DataPreserved, ConfirmationOfWithdrawal), which TS 104 144 defines and Habeas has not
 *                           seen; empty: Habeas's notifications carry no NotificationType, only the endpoint and the
 *                           objects' statuses say what they are
 * @param records            a YAML file replacing {@code eevidence/ts103705.yaml}: the TS 103 705 schema identifiers,
 *                           versions and record types of the record sets Habeas delivers
 */
@ConfigurationProperties("habeas.eevidence")
record EevidenceProperties(
        Integer port,
        Path keyStore,
        @DefaultValue("") String keyStorePassword,
        @DefaultValue("PKCS12") String keyStoreType,
        @DefaultValue Map<String, MemberState> memberStates,
        @DefaultValue("XX") String receiverCountry,
        @DefaultValue("habeas") String receiverIdentifier,
        @DefaultValue({"V1.18.1", "V1.20.1", "V1.21.1", "V1.22.1", "V1.23.1"}) List<String> versions,
        @DefaultValue("EU") String profileOwner,
        @DefaultValue("v1.2.1") String profileVersion,
        List<Path> schemas,
        @DefaultValue("33554432") int maxMessageBytes,
        @DefaultValue("64") int maxDepth,
        @DefaultValue("") String notificationDictionary,
        Path records) {

    /**
     * @param certificates           PEM files: the issuers of (or the very) client certificates of this state's system
     * @param outbound               the base address of the state's endpoints for messages from the provider
     *                               ({@code .../eevidence}; Habeas appends {@code /outcome}, {@code /nonexecution},
     *                               ...); absent: messages to this state wait in the outbox
     * @param clientKeyStore         Habeas's client certificate and key for that system (PKCS #12)
     * @param clientKeyStorePassword its password
     * @param trust                  PEM files: the issuers of that system's server certificate
     * @param requireSignature       whether this state's messages must carry a {@code ds:Signature} (TS 104 144's
     *                               rule is unknown; off: a signature is checked when present)
     * @param signers                PEM files: the certificates whose signatures count for this state, or their
     *                               issuers; none: a valid signature is kept as UNKNOWN_KEY
     */
    record MemberState(@DefaultValue List<Path> certificates, java.net.URI outbound, Path clientKeyStore,
            @DefaultValue("") String clientKeyStorePassword, @DefaultValue List<Path> trust,
            @DefaultValue("false") boolean requireSignature, @DefaultValue List<Path> signers) {
    }
}

package org.habeas.eevidence;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The e-Evidence endpoints ({@code POST /eevidence/<endpoint>}, TS 104 144): one HI-1 message per call, answered on
 * the same call. Every HI-1 outcome is HTTP 200 with the answer in the body (TS 103 120 clause 9.3); a caller
 * without a member state's client certificate gets 403, an endpoint the profile does not have 404.
 */
@RestController
class EevidenceApi {

    private final EevidenceReceiver receiver;
    private final EevidenceProperties config;

    EevidenceApi(EevidenceReceiver receiver, EevidenceProperties config) {
        this.receiver = receiver;
        this.config = config;
    }

    @PostMapping(path = "/eevidence/{endpoint}", produces = MediaType.APPLICATION_XML_VALUE)
    ResponseEntity<String> receive(@PathVariable String endpoint, HttpServletRequest request) throws IOException {
        if (!receiver.knows(endpoint)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN)
                    .body("/eevidence/" + endpoint + " is not an endpoint of the e-Evidence profile.\n");
        }
        java.security.cert.X509Certificate[] chain = (java.security.cert.X509Certificate[])
                request.getAttribute("jakarta.servlet.request.X509Certificate");
        byte[] body = chain == null ? new byte[0] : request.getInputStream().readNBytes(config.maxMessageBytes() + 1);
        EevidenceReceiver.Answer a = receiver.receive(endpoint, body, chain);
        if (a.status() == 403) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.TEXT_PLAIN)
                    .body("A client certificate of a member state's system is required.\n");
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(a.body());
    }
}

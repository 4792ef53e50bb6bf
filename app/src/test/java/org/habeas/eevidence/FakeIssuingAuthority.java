package org.habeas.eevidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * A member state's system as the receiver of messages from Habeas, for tests: an HTTPS server on a random port that
 * requires a client certificate, keeps what it receives and answers each message with an HI-1 response (or, when
 * told to, with HTTP 503).
 */
final class FakeIssuingAuthority {

    record Received(String path, String body, String clientCertificate) {
    }

    private final HttpsServer server;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failures = new AtomicInteger();

    FakeIssuingAuthority(SSLContext ssl) {
        try {
            server = HttpsServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters p) {
                javax.net.ssl.SSLParameters params = ssl.getDefaultSSLParameters();
                params.setNeedClientAuth(true);
                p.setSSLParameters(params);
            }
        });
        server.createContext("/eevidence/", exchange -> {
            String peer;
            try {
                peer = ((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                        .getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                peer = "";
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            received.add(new Received(exchange.getRequestURI().getPath(), body, peer));
            byte[] answer = ("<HI1Message xmlns=\"http://uri.etsi.org/03120/common/2019/10/Core\"><Payload><ResponsePayload>"
                    + "<ActionResponses/></ResponsePayload></Payload></HI1Message>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    String base() {
        return "https://localhost:" + server.getAddress().getPort() + "/eevidence";
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** The next {@code n} messages are answered 503. */
    void failNext(int n) {
        failures.set(n);
    }
}

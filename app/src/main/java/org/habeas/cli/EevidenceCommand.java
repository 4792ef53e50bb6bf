package org.habeas.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.Callable;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code habeas eevidence send}: plays a member state's system, posting one HI-1 message over mutual TLS to an
 * e-Evidence endpoint and printing the answer, so that the exchange can be run on one machine.
 */
@Command(name = "eevidence", description = "The EU e-Evidence channel (ETSI TS 103 120).",
        subcommands = EevidenceCommand.Send.class)
final class EevidenceCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "send", description = "POST one HI-1 message (XML) to an e-Evidence endpoint with a client "
            + "certificate, and print the answer. Exit 0 when the answer holds no ErrorInformation, 1 when it does, "
            + "2 on bad arguments or when no answer came.")
    static final class Send implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", description = "The message (an HI1Message XML file).") Path file;
        @Option(names = "--to", required = true, description = "The endpoint, e.g. https://habeas.example:8443/eevidence/production")
        String to;
        @Option(names = "--client-certificate", required = true, description = "The sending system's key and "
                + "certificate chain (PKCS #12).") Path clientCertificate;
        @Option(names = "--password", description = "The PKCS #12 password (default: empty).", defaultValue = "")
        String password;
        @Option(names = "--trust", description = "PEM certificate(s) of the receiver's issuer; default: the JDK's.")
        Path trust;

        static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            URI uri;
            try {
                uri = URI.create(to);
            } catch (IllegalArgumentException e) {
                err.println("bad argument: --to " + to + " is not a URL");
                return HabeasCommand.BAD_INPUT;
            }
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                err.println("bad argument: --to must be an https:// URL");
                return HabeasCommand.BAD_INPUT;
            }
            for (Path p : new Path[] {file, clientCertificate, trust}) {
                if (p != null && !Files.isReadable(p)) {
                    err.println("bad argument: " + p + " cannot be read");
                    return HabeasCommand.BAD_INPUT;
                }
            }
            if (Files.size(file) > MAX_MESSAGE_BYTES) {
                err.println("bad argument: " + file + " is larger than " + MAX_MESSAGE_BYTES + " bytes");
                return HabeasCommand.BAD_INPUT;
            }
            SSLContext ssl;
            try {
                ssl = context();
            } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                err.println("bad argument: the certificates cannot be read: " + HabeasCommand.oneLine(e));
                return HabeasCommand.BAD_INPUT;
            }
            try (HttpClient http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(20)).build()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                        .header("Content-Type", "application/xml")
                        .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    err.println("eevidence send: the endpoint answered HTTP " + r.statusCode());
                    return HabeasCommand.BAD_INPUT;
                }
                out.print(r.body());
                out.flush();
                return r.body().contains("ErrorInformation>") ? 1 : 0;
            } catch (java.io.IOException e) {
                err.println("eevidence send: no answer from " + uri + ": " + HabeasCommand.oneLine(e));
                return HabeasCommand.BAD_INPUT;
            }
        }

        private SSLContext context() throws java.io.IOException, java.security.GeneralSecurityException {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(clientCertificate)) {
                keys.load(in, password.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (trust == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                try (InputStream in = Files.newInputStream(trust)) {
                    int i = 0;
                    for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        ts.setCertificateEntry("trusted-" + i++, c);
                    }
                }
                tmf.init(ts);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        }
    }
}

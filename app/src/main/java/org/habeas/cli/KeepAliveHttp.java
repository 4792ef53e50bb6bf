package org.habeas.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.habeas.ledger.LogVerifier;

/**
 * A log's files over HTTP/1.1 on kept-alive connections, one per request in flight, each reused for the next file:
 * a GET is one write and a buffered read, parsed in place, with no per-request machinery to set up or to compile.
 * {@code https} is checked as the JDK's own client checks it (the default trust store, the host name). A redirect is
 * handed to {@code redirects}, which follows it. A connection the server closed while idle is replaced once, and
 * the GET sent again (it changes nothing). The status line, headers and body have bounds, so that a hostile server
 * cannot make a verifier read without end.
 */
final class KeepAliveHttp implements LogVerifier.Fetcher {

    /** The largest entry bundle is 256 entries of 2 + 65,535 bytes; nothing a log serves is larger. */
    static final int MAX_BODY = 32 * 1024 * 1024;
    private static final int MAX_HEAD = 64 * 1024;
    /** Room for a head and a hash tile (8 KiB): a larger body is read past it, into its own array. */
    private static final int BUFFER = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 30_000;

    private final String host;
    private final int port;
    private final boolean tls;
    private final String basePath;
    private final byte[] headers;
    private final LogVerifier.Fetcher redirects;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

    /**
     * @param base      the log's prefix, an http(s) URL ending in {@code /}
     * @param redirects what fetches a path whose answer was a redirect
     */
    KeepAliveHttp(URI base, LogVerifier.Fetcher redirects) {
        String scheme = base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
            throw new IllegalArgumentException("the URL must be http(s) with a host");
        }
        this.tls = scheme.equals("https");
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
        String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        this.basePath = path.endsWith("/") ? path : path + "/";
        String hostHeader = (host.contains(":") ? "[" + host + "]" : host) + (base.getPort() > 0 ? ":" + port : "");
        this.headers = (" HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: habeas-log-verify\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.redirects = redirects;
    }

    @Override
    public LogVerifier.Response get(String path) throws IOException {
        for (int c = 0; c < path.length(); c++) {
            char ch = path.charAt(c);
            if (ch <= ' ' || ch >= 0x7f) {
                throw new IOException("not a path of the log: " + path);
            }
        }
        byte[] request = request(path);
        while (true) {
            Connection connection = idle.pollFirst();
            boolean reused = connection != null;
            if (connection == null) {
                connection = open();
            }
            Answer answer;
            try {
                answer = connection.exchange(request);
            } catch (IOException e) {
                connection.close();
                if (reused && connection.answeredNothing) {
                    continue; // the server had closed it while it waited in the pool
                }
                throw e;
            }
            if (answer.keepAlive()) {
                idle.offerFirst(connection);
            } else {
                connection.close();
            }
            if (answer.status() / 100 == 3 && answer.status() != 304) {
                return redirects.get(path);
            }
            return new LogVerifier.Response(answer.status(), answer.body());
        }
    }

    /** Closes every idle connection. */
    void close() {
        for (Connection c; (c = idle.pollFirst()) != null; ) {
            c.close();
        }
    }

    private byte[] request(String path) {
        byte[] target = (basePath + path).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[4 + target.length + headers.length];
        out[0] = 'G';
        out[1] = 'E';
        out[2] = 'T';
        out[3] = ' ';
        System.arraycopy(target, 0, out, 4, target.length);
        System.arraycopy(headers, 0, out, 4 + target.length, headers.length);
        return out;
    }

    private Connection open() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            if (tls) {
                SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(socket, host, port, true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                params.setApplicationProtocols(new String[] {"http/1.1"});
                ssl.setSSLParameters(params);
                ssl.startHandshake();
                socket = ssl;
            }
            return new Connection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    record Answer(int status, byte[] body, boolean keepAlive) {
    }

    /** One kept-alive connection: a request written whole, the answer read through one buffer. */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] line = new byte[8192];
        /** Whether the last exchange failed before the first byte of an answer: then it can be sent again. */
        boolean answeredNothing;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), BUFFER);
            this.out = socket.getOutputStream();
        }

        Answer exchange(byte[] request) throws IOException {
            answeredNothing = true;
            out.write(request);
            out.flush();
            int[] headBytes = {0};
            while (true) {
                String status = readLine(headBytes);
                answeredNothing = false;
                if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
                    throw new IOException("not an HTTP/1.x answer: " + printable(status));
                }
                int code = parseStatus(status);
                boolean http10 = status.charAt(7) == '0';
                long length = -1;
                boolean chunked = false;
                Boolean connectionKeepAlive = null;
                for (String header; !(header = readLine(headBytes)).isEmpty(); ) {
                    int colon = header.indexOf(':');
                    if (colon <= 0) {
                        throw new IOException("malformed header: " + printable(header));
                    }
                    String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = header.substring(colon + 1).trim();
                    switch (name) {
                        case "content-length" -> {
                            try {
                                long l = Long.parseLong(value);
                                if (l < 0 || length >= 0 && l != length) {
                                    throw new IOException("bad content-length: " + printable(value));
                                }
                                length = l;
                            } catch (NumberFormatException e) {
                                throw new IOException("bad content-length: " + printable(value));
                            }
                        }
                        case "transfer-encoding" -> {
                            if (!value.toLowerCase(Locale.ROOT).endsWith("chunked")) {
                                throw new IOException("unsupported transfer-encoding: " + printable(value));
                            }
                            chunked = true;
                        }
                        case "connection" -> {
                            String v = value.toLowerCase(Locale.ROOT);
                            if (v.contains("close")) {
                                connectionKeepAlive = false;
                            } else if (v.contains("keep-alive")) {
                                connectionKeepAlive = true;
                            }
                        }
                        default -> { }
                    }
                }
                if (code / 100 == 1) {
                    headBytes[0] = 0;
                    continue; // an interim answer (103 Early Hints): the real one follows
                }
                boolean keepAlive = connectionKeepAlive != null ? connectionKeepAlive : !http10;
                byte[] body;
                if (code == 204 || code == 304) {
                    body = new byte[0];
                } else if (chunked) {
                    body = chunks(headBytes);
                } else if (length >= 0) {
                    if (length > MAX_BODY) {
                        throw new IOException("an answer of " + length + " bytes, more than a log serves");
                    }
                    // read into the answer's own array: what the buffer does not hold yet comes straight from the socket
                    body = new byte[(int) length];
                    int read = in.readNBytes(body, 0, body.length);
                    if (read != length) {
                        throw new EOFException("the answer ended after " + read + " of " + length + " bytes");
                    }
                } else {
                    body = in.readNBytes(MAX_BODY + 1); // the answer ends when the server closes the connection
                    if (body.length > MAX_BODY) {
                        throw new IOException("an answer of more than " + MAX_BODY + " bytes, more than a log serves");
                    }
                    keepAlive = false;
                }
                return new Answer(code, body, keepAlive);
            }
        }

        private byte[] chunks(int[] headBytes) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(headBytes);
                int semicolon = size.indexOf(';');
                long n;
                try {
                    n = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size: " + printable(size));
                }
                if (n < 0 || body.size() + n > MAX_BODY) {
                    throw new IOException("an answer of more than " + MAX_BODY + " bytes, more than a log serves");
                }
                if (n == 0) {
                    while (!readLine(headBytes).isEmpty()) {
                        // trailers, ignored
                    }
                    return body.toByteArray();
                }
                byte[] chunk = in.readNBytes((int) n);
                if (chunk.length != n) {
                    throw new EOFException("the answer ended inside a chunk");
                }
                body.writeBytes(chunk);
                if (!readLine(headBytes).isEmpty()) {
                    throw new IOException("a chunk not followed by CRLF");
                }
            }
        }

        /** One line of the status, headers or chunk sizes, without its CRLF (or LF). */
        private String readLine(int[] headBytes) throws IOException {
            int n = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the server closed the connection");
                }
                if (++headBytes[0] > MAX_HEAD) {
                    throw new IOException("an answer's head of more than " + MAX_HEAD + " bytes");
                }
                if (b == '\n') {
                    if (n > 0 && line[n - 1] == '\r') {
                        n--;
                    }
                    return new String(line, 0, n, StandardCharsets.ISO_8859_1);
                }
                if (n == line.length) {
                    throw new IOException("a header line of more than " + line.length + " bytes");
                }
                line[n++] = (byte) b;
            }
        }

        private static int parseStatus(String status) throws IOException {
            int code = 0;
            for (int i = 9; i < 12; i++) {
                char c = status.charAt(i);
                if (c < '0' || c > '9') {
                    throw new IOException("not an HTTP/1.x answer: " + printable(status));
                }
                code = code * 10 + (c - '0');
            }
            return code;
        }

        private static String printable(String s) {
            String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
            return cut.replaceAll("[^\\x20-\\x7e]", "?");
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do: it is gone either way
            }
        }
    }
}

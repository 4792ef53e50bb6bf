package org.habeas.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    private static final byte[] STATUS_PREFIX = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION = "connection".getBytes(StandardCharsets.US_ASCII);

    private final String host;
    private final int port;
    private final boolean tls;
    /** {@code GET <base path>}, to which a request's path is appended. */
    private final byte[] get;
    private final byte[] headers;
    private final LogVerifier.Fetcher redirects;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    /** Whether several requests are sent on a connection before their answers are read; off once a server fails it. */
    private volatile boolean pipelining = true;

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
        this.get = ("GET " + (path.endsWith("/") ? path : path + "/")).getBytes(StandardCharsets.US_ASCII);
        String hostHeader = (host.contains(":") ? "[" + host + "]" : host) + (base.getPort() > 0 ? ":" + port : "");
        this.headers = (" HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: habeas-log-verify\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.redirects = redirects;
    }

    @Override
    public LogVerifier.Response get(String path) throws IOException {
        LogVerifier.Response[] answer = new LogVerifier.Response[1];
        getEach(List.of(path), (i, r) -> answer[0] = r);
        return answer[0];
    }

    /**
     * Sends the requests for all the paths on one connection before reading the first answer (HTTP/1.1 pipelining),
     * so that the server answers them back to back and the answers are read as they come. If the server closes the
     * connection before it has answered them all, the rest are asked for again on a new one; if it stops answering
     * without saying it closes, this fetcher asks for one file at a time from then on.
     */
    @Override
    public void getEach(List<String> paths, LogVerifier.Answers answers) throws IOException {
        byte[][] requests = new byte[paths.size()][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = request(paths.get(i));
        }
        int from = 0;
        while (from < requests.length) {
            int to = pipelining ? requests.length : from + 1;
            Connection connection = idle.pollFirst();
            boolean reused = connection != null;
            if (connection == null) {
                connection = open();
            }
            int at = from;
            boolean keep = true;
            try {
                connection.send(requests, from, to);
                for (; at < to && keep; at++) {
                    Answer answer = connection.receive();
                    keep = answer.keepAlive();
                    if (answer.status() / 100 == 3 && answer.status() != 304) {
                        answers.accept(at, redirects.get(paths.get(at)));
                    } else {
                        answers.accept(at, new LogVerifier.Response(answer.status(), answer.body()));
                    }
                }
            } catch (IOException e) {
                connection.close();
                if (!connection.answeredNothing || at == from && !reused) {
                    throw e; // inside an answer, or a new connection that answered nothing
                }
                // it ended before the next answer began: the server had closed it while it waited in the pool, or
                // after answering some of the requests sent ahead; the rest are asked for again on another
                if (at > from) {
                    pipelining = false;
                }
                from = at;
                continue;
            }
            if (keep) {
                idle.offerFirst(connection);
            } else {
                connection.close();
            }
            from = at;
        }
    }

    /** Closes every idle connection. */
    void close() {
        for (Connection c; (c = idle.pollFirst()) != null; ) {
            c.close();
        }
    }

    /** {@code GET <base path><path> HTTP/1.1} and the fixed headers, as bytes; the path is printable ASCII. */
    private byte[] request(String path) throws IOException {
        byte[] out = new byte[get.length + path.length() + headers.length];
        System.arraycopy(get, 0, out, 0, get.length);
        for (int c = 0; c < path.length(); c++) {
            char ch = path.charAt(c);
            if (ch <= ' ' || ch >= 0x7f) {
                throw new IOException("not a path of the log: " + path);
            }
            out[get.length + c] = (byte) ch;
        }
        System.arraycopy(headers, 0, out, get.length + path.length(), headers.length);
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
        /** What has been read from the socket and not yet used: {@code buffer[position, limit)}. */
        private final byte[] buffer = new byte[BUFFER];
        private int position;
        private int limit;
        private final OutputStream out;
        private final byte[] line = new byte[8192];
        /** Whether the last read failed before the first byte of an answer: then its request can be sent again. */
        boolean answeredNothing;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Writes the requests {@code from} to {@code to} at once. */
        void send(byte[][] requests, int from, int to) throws IOException {
            answeredNothing = true;
            if (to - from == 1) {
                out.write(requests[from]);
            } else {
                int length = 0;
                for (int i = from; i < to; i++) {
                    length += requests[i].length;
                }
                byte[] all = new byte[length];
                for (int i = from, at = 0; i < to; at += requests[i].length, i++) {
                    System.arraycopy(requests[i], 0, all, at, requests[i].length);
                }
                out.write(all);
            }
            out.flush();
        }

        /** Reads the next answer. */
        Answer receive() throws IOException {
            answeredNothing = true;
            int[] headBytes = {0};
            while (true) {
                int n = lineBytes(headBytes);
                answeredNothing = false;
                if (n < 12 || !startsWith(line, STATUS_PREFIX) || line[8] != ' ') {
                    throw new IOException("not an HTTP/1.x answer: " + printable(text(0, n)));
                }
                int code = parseStatus(n);
                boolean http10 = line[7] == '0';
                long length = -1;
                boolean chunked = false;
                Boolean connectionKeepAlive = null;
                // the head is read as bytes, and only the three headers that matter become text
                while ((n = lineBytes(headBytes)) > 0) {
                    int colon = 0;
                    while (colon < n && line[colon] != ':') {
                        colon++;
                    }
                    if (colon == 0 || colon == n) {
                        throw new IOException("malformed header: " + printable(text(0, n)));
                    }
                    if (named(colon, CONTENT_LENGTH)) {
                        String value = text(colon + 1, n).trim();
                        try {
                            long l = Long.parseLong(value);
                            if (l < 0 || length >= 0 && l != length) {
                                throw new IOException("bad content-length: " + printable(value));
                            }
                            length = l;
                        } catch (NumberFormatException e) {
                            throw new IOException("bad content-length: " + printable(value));
                        }
                    } else if (named(colon, TRANSFER_ENCODING)) {
                        String value = text(colon + 1, n).trim();
                        if (!value.toLowerCase(Locale.ROOT).endsWith("chunked")) {
                            throw new IOException("unsupported transfer-encoding: " + printable(value));
                        }
                        chunked = true;
                    } else if (named(colon, CONNECTION)) {
                        String v = text(colon + 1, n).toLowerCase(Locale.ROOT);
                        if (v.contains("close")) {
                            connectionKeepAlive = false;
                        } else if (v.contains("keep-alive")) {
                            connectionKeepAlive = true;
                        }
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
                    int read = readBody(body, body.length);
                    if (read != length) {
                        throw new EOFException("the answer ended after " + read + " of " + length + " bytes");
                    }
                } else {
                    body = readToEnd(); // the answer ends when the server closes the connection
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
                byte[] chunk = new byte[(int) n];
                if (readBody(chunk, chunk.length) != n) {
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
            return text(0, lineBytes(headBytes));
        }

        /** Reads one line into {@link #line}, without its CRLF (or LF); its length. */
        private int lineBytes(int[] headBytes) throws IOException {
            int n = 0;
            while (true) {
                if (position == limit && !fill()) {
                    throw new EOFException("the server closed the connection");
                }
                int end = position;
                while (end < limit && buffer[end] != '\n') {
                    end++;
                }
                int take = end - position;
                if (n + take > line.length) {
                    throw new IOException("a header line of more than " + line.length + " bytes");
                }
                headBytes[0] += take + (end < limit ? 1 : 0);
                if (headBytes[0] > MAX_HEAD) {
                    throw new IOException("an answer's head of more than " + MAX_HEAD + " bytes");
                }
                System.arraycopy(buffer, position, line, n, take);
                n += take;
                if (end < limit) {
                    position = end + 1;
                    if (n > 0 && line[n - 1] == '\r') {
                        n--;
                    }
                    return n;
                }
                position = limit;
            }
        }

        /** Reads more of the answer into the empty buffer; false at the end of the stream. */
        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        /**
         * Reads {@code length} bytes into {@code body}: first what the buffer holds, then the rest straight from the
         * socket into the body's own array. The bytes read, fewer only at the end of the stream.
         */
        private int readBody(byte[] body, int length) throws IOException {
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, body, 0, n);
            position += n;
            while (n < length) {
                int r = in.read(body, n, length - n);
                if (r <= 0) {
                    break;
                }
                n += r;
            }
            return n;
        }

        /** The rest of the stream, at most {@code MAX_BODY} bytes. */
        private byte[] readToEnd() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(buffer, position, limit - position);
            position = limit;
            byte[] chunk = new byte[BUFFER];
            for (int r; out.size() <= MAX_BODY && (r = in.read(chunk)) > 0; ) {
                out.write(chunk, 0, r);
            }
            if (out.size() > MAX_BODY) {
                throw new IOException("an answer of more than " + MAX_BODY + " bytes, more than a log serves");
            }
            return out.toByteArray();
        }

        private String text(int from, int to) {
            return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
        }

        /** Whether the header name before {@code colon} (spaces around it aside) is {@code name}, in any case. */
        private boolean named(int colon, byte[] name) {
            int from = 0;
            int to = colon;
            while (from < to && (line[from] == ' ' || line[from] == '\t')) {
                from++;
            }
            while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
                to--;
            }
            if (to - from != name.length) {
                return false;
            }
            for (int i = 0; i < name.length; i++) {
                byte b = line[from + i];
                byte c = name[i];
                if (b != c && !(c >= 'a' && c <= 'z' && b == c - ('a' - 'A'))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean startsWith(byte[] line, byte[] prefix) {
            for (int i = 0; i < prefix.length; i++) {
                if (line[i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        private int parseStatus(int n) throws IOException {
            int code = 0;
            for (int i = 9; i < 12; i++) {
                byte c = line[i];
                if (c < '0' || c > '9') {
                    throw new IOException("not an HTTP/1.x answer: " + printable(text(0, n)));
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

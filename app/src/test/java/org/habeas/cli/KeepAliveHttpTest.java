package org.habeas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.habeas.ledger.LogVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The verifier's HTTP/1.1 client against a server written out byte by byte: connections kept and reused, bodies by
 * length, in chunks or to the end, a connection the server dropped replaced, redirects handed on, and answers too
 * large or malformed refused.
 */
class KeepAliveHttpTest {

    /** A server that answers each request with what {@code answer} makes of its target, and counts connections. */
    static final class Server implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();
        /** Whether to close each connection after its first answer (without saying so). */
        volatile boolean dropAfterOne;
        /** Whether to close each connection after this many answers (0: never), saying so in the last if asked. */
        volatile int closeAfter;
        volatile boolean sayClose;

        Server(Function<String, byte[]> answer) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s, answer));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket s, Function<String, byte[]> answer) {
            try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                    StandardCharsets.ISO_8859_1)); OutputStream out = s.getOutputStream()) {
                for (int answered = 1; ; answered++) {
                    String line = in.readLine();
                    if (line == null) {
                        return;
                    }
                    String target = line.split(" ")[1];
                    String header;
                    StringBuilder head = new StringBuilder(line).append('\n');
                    while ((header = in.readLine()) != null && !header.isEmpty()) {
                        head.append(header).append('\n');
                    }
                    requests.add(head.toString());
                    byte[] bytes = answer.apply(target);
                    boolean last = closeAfter > 0 && answered == closeAfter;
                    if (last && sayClose) {
                        bytes = ascii(new String(bytes, StandardCharsets.ISO_8859_1)
                                .replaceFirst("\r\n", "\r\nConnection: close\r\n"));
                    }
                    out.write(bytes);
                    out.flush();
                    if (dropAfterOne || last) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/log/");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private Server server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final LogVerifier.Fetcher NO_REDIRECTS = path -> {
        throw new AssertionError("no redirect expected for " + path);
    };

    @Test
    void answersOnOneKeptConnectionByLengthInChunksAndAfterAnInterimAnswer() throws Exception {
        server = new Server(target -> switch (target) {
            case "/log/tile/0/000" -> ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Other: a:b\r\n\r\nhello");
            case "/log/chunked" -> ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3;ext=1\r\nabc\r\n4\r\ndefg\r\n0\r\nTrailer: x\r\n\r\n");
            case "/log/hint" -> ascii("HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
                    + "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno\n");
            default -> ascii("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n");
        });
        KeepAliveHttp http = new KeepAliveHttp(server.base(), NO_REDIRECTS);
        for (int i = 0; i < 3; i++) {
            LogVerifier.Response r = http.get("tile/0/000");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello");
        }
        assertThat(http.get("chunked").text()).isEqualTo("abcdefg");
        LogVerifier.Response hint = http.get("hint");
        assertThat(hint.status()).isEqualTo(404);
        assertThat(hint.text()).isEqualTo("no\n");
        assertThat(http.get("cached").status()).isEqualTo(304);
        assertThat(http.get("tile/0/000").text()).isEqualTo("hello");
        // one connection for every request, each a plain GET of the log's path with its Host
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(server.requests).hasSize(7);
        assertThat(server.requests.getFirst()).startsWith("GET /log/tile/0/000 HTTP/1.1\n")
                .contains("Host: 127.0.0.1:" + server.socket.getLocalPort() + "\n");
        http.close();
    }

    @Test
    void aConnectionTheServerDroppedIsReplacedAndOneItClosesIsNotReused() throws Exception {
        server = new Server(target -> target.endsWith("close")
                ? ascii("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
                : ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        server.dropAfterOne = true;
        KeepAliveHttp http = new KeepAliveHttp(server.base(), NO_REDIRECTS);
        for (int i = 0; i < 4; i++) {
            assertThat(http.get("tile/0/00" + i).text()).isEqualTo("ok");
        }
        assertThat(server.connections.get()).isEqualTo(4);
        assertThat(server.requests).hasSize(4);

        server.dropAfterOne = false;
        int before = server.connections.get();
        assertThat(http.get("a/close").text()).isEqualTo("ok");
        assertThat(http.get("b/close").text()).isEqualTo("ok");
        assertThat(server.connections.get() - before).isEqualTo(2);
    }

    @Test
    void requestsSentAheadAreAnsweredInOrderAndThoseAServerLeftUnansweredAreAskedForAgain() throws Exception {
        server = new Server(target -> ascii("HTTP/1.1 200 OK\r\nContent-Length: " + target.length() + "\r\n\r\n" + target));
        List<String> paths = java.util.stream.IntStream.range(0, 10).mapToObj(i -> "tile/0/00" + i).toList();
        for (boolean sayClose : new boolean[] {true, false}) {
            // each connection answers three requests and closes: saying so in the third (as nginx does when it
            // reaches its keepalive_requests), or not
            server.closeAfter = 3;
            server.sayClose = sayClose;
            server.requests.clear();
            int before = server.connections.get();
            KeepAliveHttp http = new KeepAliveHttp(server.base(), NO_REDIRECTS);
            List<String> answers = new CopyOnWriteArrayList<>();
            List<Integer> order = new CopyOnWriteArrayList<>();
            http.getEach(paths, (i, r) -> {
                order.add(i);
                answers.add(r.text());
            });
            assertThat(order).as("sayClose " + sayClose).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(answers).containsExactlyElementsOf(paths.stream().map(p -> "/log/" + p).toList());
            // every request the server read, it answered: each path once, on four connections of three
            assertThat(server.requests).hasSize(10);
            assertThat(server.connections.get() - before).isEqualTo(4);
            http.close();
        }

        // all sent at once on one connection when the server keeps it
        server.closeAfter = 0;
        server.requests.clear();
        int before = server.connections.get();
        KeepAliveHttp http = new KeepAliveHttp(server.base(), NO_REDIRECTS);
        List<String> answers = new CopyOnWriteArrayList<>();
        http.getEach(paths, (i, r) -> answers.add(r.text()));
        http.getEach(paths.subList(0, 2), (i, r) -> answers.add(r.text()));
        assertThat(answers).hasSize(12).startsWith("/log/tile/0/000", "/log/tile/0/001");
        assertThat(server.connections.get() - before).isEqualTo(1);
        http.close();
    }

    @Test
    void aBodyToTheEndOfTheConnectionIsReadAndARedirectIsHandedOn() throws Exception {
        server = new Server(target -> target.equals("/log/moved")
                ? ascii("HTTP/1.1 301 Moved Permanently\r\nLocation: https://elsewhere/\r\nContent-Length: 0\r\n\r\n")
                : ascii("HTTP/1.0 200 OK\r\n\r\nall of it"));
        server.dropAfterOne = true;
        List<String> redirected = new CopyOnWriteArrayList<>();
        KeepAliveHttp http = new KeepAliveHttp(server.base(), path -> {
            redirected.add(path);
            return new LogVerifier.Response(200, ascii("followed"));
        });
        assertThat(http.get("tile/0/000").text()).isEqualTo("all of it");
        assertThat(http.get("moved").text()).isEqualTo("followed");
        assertThat(redirected).containsExactly("moved");
    }

    @Test
    void answersTooLargeOrMalformedAndPathsThatAreNotTheLogsAreRefused() throws Exception {
        server = new Server(target -> switch (target) {
            case "/log/huge" -> ascii("HTTP/1.1 200 OK\r\nContent-Length: " + (KeepAliveHttp.MAX_BODY + 1L) + "\r\n\r\n");
            case "/log/hugechunk" -> ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffff\r\n");
            case "/log/short" -> ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nabc");
            case "/log/two" -> ascii("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
            default -> ascii("SSH-2.0-OpenSSH\r\n\r\n");
        });
        server.dropAfterOne = true;
        KeepAliveHttp http = new KeepAliveHttp(server.base(), NO_REDIRECTS);
        assertThatThrownBy(() -> http.get("huge")).isInstanceOf(IOException.class).hasMessageContaining("more than");
        assertThatThrownBy(() -> http.get("hugechunk")).isInstanceOf(IOException.class).hasMessageContaining("more than");
        assertThatThrownBy(() -> http.get("short")).isInstanceOf(IOException.class).hasMessageContaining("3 of 10");
        assertThatThrownBy(() -> http.get("two")).isInstanceOf(IOException.class).hasMessageContaining("content-length");
        assertThatThrownBy(() -> http.get("other")).isInstanceOf(IOException.class).hasMessageContaining("not an HTTP");
        assertThatThrownBy(() -> http.get("tile/0/000 HTTP/1.1\r\nX: y")).isInstanceOf(IOException.class);
        assertThat(server.requests).noneMatch(r -> r.contains("X: y"));
    }
}

package org.habeas.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.habeas.HabeasApplication;
import org.habeas.cli.HabeasCommand;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running demo instance, checked from outside with the command line: {@code habeas log verify} over HTTP, and the
 * single-proof commands with their exit codes. The demo's events span a closed half-year (published) and the open
 * one (not yet).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "habeas.demo.enabled=true")
@ActiveProfiles("test")
class LogVerifyCommandTest {

    private static final Path HOME = TestDatabases.home("habeas-log-demo");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        r.add("habeas.home", HOME::toString);
    }

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    /** The size of the demo log's latest checkpoint. */
    private long size() throws Exception {
        return Long.parseLong(get("/log/checkpoint").body().split("\n")[1]);
    }

    record Run(int code, String out, String err) {
    }

    private static Run habeas(String... args) {
        CommandLine cli = HabeasCommand.commandLine(HabeasApplication.class);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void logVerifyAcceptsTheDemoLogAndChecksThePublishedEntries(@TempDir Path state) throws Exception {
        String vkey = get("/log/vkey").body().strip();
        Run run = habeas("log", "verify", "http://localhost:" + port + "/log", "--vkey", vkey, "--state", state.toString());
        assertThat(run.code()).as(run.err()).isZero();
        long size = size();
        // 21 demo requests received and assessed, the older ones decided, and the demo report's REPORT record
        java.util.Map<String, Long> events = new java.util.HashMap<>();
        jdbc.sql("select event, count(*) from ledger_leaf group by event")
                .query((rs, i) -> events.put(rs.getString(1), rs.getLong(2))).list();
        assertThat(events).containsEntry("RECEIVED", 21L).containsEntry("ASSESSED", 21L).containsEntry("REPORT", 1L);
        assertThat(events.get("DECIDED")).isEqualTo(jdbc.sql("select count(*) from casework_decision").query(Long.class)
                .single()).isPositive();
        assertThat(events.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(size);
        assertThat(run.out()).contains("valid: habeas.localhost/log at size " + size).contains("first visit");
        // the demo's first requests were received in the closed half-year: their entries are published and checked
        assertThat(run.out()).containsPattern("entries checked: [1-9]\\d*; \\d+ not yet published");

        Run again = habeas("log", "verify", "http://localhost:" + port + "/log", "--vkey", vkey, "--state", state.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("extends the size " + size + " seen before");

        // a key the log does not sign with is refused
        Run wrongKey = habeas("log", "verify", "http://localhost:" + port + "/log", "--vkey",
                Note.Verifier.parse(vkey).name() + "+" + java.util.HexFormat.of().formatHex(
                        Note.keyId(Note.Verifier.parse(vkey).name(), Note.ED25519, new byte[32])) + "+AQ"
                        + "A".repeat(42), "--state", state.toString());
        assertThat(wrongKey.code()).as(wrongKey.err()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("not signed by");
        assertThat(habeas("log", "verify", "ftp://nowhere", "--vkey", vkey).code()).isEqualTo(2);
    }

    @Test
    void aMirrorKeepsWhatWasCheckedAndVerifiesOfflineAndARateIsReported(@TempDir Path state, @TempDir Path mirror)
            throws Exception {
        String vkey = get("/log/vkey").body().strip();
        Run run = habeas("log", "verify", "http://localhost:" + port + "/log", "--vkey", vkey, "--state", state.toString(),
                "--mirror", mirror.toString(), "--rate");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("mirror: \\d+ files in ")
                .containsPattern("rate: [\\d.]+ MB hashed in [\\d.]+ s, \\d+ MB/s; raw SHA-256 on this machine, same run: "
                        + "[\\d.]+ s, \\d+ MB/s; the check ran at \\d+% of the raw rate");
        assertThat(mirror.resolve("checkpoint")).hasContent(get("/log/checkpoint").body());
        assertThat(mirror.resolve("tile/0/000.p/" + size())).exists();
        try (var files = Files.list(mirror)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("checkpoint", "vkey", "tile");
        }

        Run offline = habeas("log", "verify", mirror.toUri().toString(), "--vkey", vkey, "--state", state.toString());
        assertThat(offline.code()).as(offline.err()).isZero();
        assertThat(offline.out()).contains("extends the size " + size() + " seen before").containsPattern("entries checked: [1-9]");

        // one changed byte in a mirrored tile: the offline check fails and names the file
        Path tile = mirror.resolve("tile/0/000.p/" + size());
        byte[] bytes = Files.readAllBytes(tile);
        bytes[40] ^= 1;
        Files.write(tile, bytes);
        Run tampered = habeas("log", "verify", mirror.toUri().toString(), "--vkey", vkey, "--state", state.toString());
        assertThat(tampered.code()).isEqualTo(1);
        assertThat(tampered.err()).contains("invalid: ");

        // a check that fails while mirroring leaves the mirror as it was: the tampered copy is not refreshed, no
        // staging directory stays behind
        Path second = Files.createTempDirectory(state, "mirror2");
        Run failed = habeas("log", "verify", mirror.toUri().toString(), "--vkey", vkey, "--state", state.toString(),
                "--mirror", second.toString());
        assertThat(failed.code()).isEqualTo(1);
        try (var files = Files.list(second)) {
            assertThat(files).isEmpty();
        }
        assertThat(habeas("log", "verify", state.resolve("nowhere").toUri().toString(), "--vkey", vkey).code()).isEqualTo(2);
    }

    @Test
    void bundlesOfTheOpenPeriodAnswer404WithTheirDateAndTheClosedPrefixIsServed() throws Exception {
        HttpResponse<String> open = get("/log/tile/entries/000.p/" + size());
        assertThat(open.statusCode()).isEqualTo(404);
        String current = Periods.of(java.time.Instant.now());
        assertThat(open.body()).contains("published from " + Periods.closes(current))
                .containsPattern("published as tile/entries/000\\.p/\\d+");
        String prefix = open.body().replaceAll("(?s).*published as (tile/entries/\\S+?)\\.\\s*$", "$1");
        HttpResponse<String> closed = get("/log/" + prefix);
        assertThat(closed.statusCode()).isEqualTo(200);
        assertThat(closed.body()).contains("\"period\":\"").doesNotContain("\"period\":\"" + current + "\"");
        assertThat(get("/log/checkpoint").body()).startsWith("habeas.localhost/log\n" + size() + "\n");
    }

    @Test
    void theProofCommandsAnswerValidInvalidOrBadArguments() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        JsonNode inc = json.readTree(get("/log/proof/inclusion?index=7&size=42").body());
        String proof = String.join(",", strings(inc.get("proof")));
        Run ok = habeas("log", "verify-inclusion", "--leaf-hash", inc.get("leafHash").stringValue(), "--index", "7",
                "--size", "42", "--root", inc.get("root").stringValue(), "--proof", proof);
        assertThat(ok.code()).as(ok.err()).isZero();
        Run wrongIndex = habeas("log", "verify-inclusion", "--leaf-hash", inc.get("leafHash").stringValue(), "--index", "6",
                "--size", "42", "--root", inc.get("root").stringValue(), "--proof", proof);
        assertThat(wrongIndex.code()).isEqualTo(1);
        assertThat(wrongIndex.err()).startsWith("invalid: ");
        Run bad = habeas("log", "verify-inclusion", "--leaf-hash", "not-base64", "--index", "7", "--size", "42",
                "--root", inc.get("root").stringValue());
        assertThat(bad.code()).isEqualTo(2);

        JsonNode con = json.readTree(get("/log/proof/consistency?from=12&to=42").body());
        String cproof = String.join(",", strings(con.get("proof")));
        assertThat(habeas("log", "verify-consistency", "--size1", "12", "--size2", "42", "--root1",
                con.get("root1").stringValue(), "--root2", con.get("root2").stringValue(), "--proof", cproof).code()).isZero();
        assertThat(habeas("log", "verify-consistency", "--size1", "13", "--size2", "42", "--root1",
                con.get("root1").stringValue(), "--root2", con.get("root2").stringValue(), "--proof", cproof).code()).isEqualTo(1);
        assertThat(habeas("log", "verify-consistency", "--size1", "12").code()).isEqualTo(2);
    }

    @org.springframework.beans.factory.annotation.Autowired
    PublicLog publicLog;

    @Test
    void aReportOfTheClosedPeriodVerifiesAndAChangedOutcomeIsNamed(@TempDir Path dir) throws Exception {
        String period = Periods.of(java.time.Instant.now().minus(java.time.Duration.ofDays(200)));
        String admin = JsonMapper.builder().build().readTree(Files.readString(HOME.resolve("demo-tokens.json")))
                .get("ADMIN").stringValue();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/reports/" + period))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode report = JsonMapper.builder().build().readTree(r.body());
        assertThat(report.get("total").get("requests").asLong()).isPositive();
        Path file = dir.resolve("report.json");
        Files.writeString(file, r.body());
        String vkey = get("/log/vkey").body().strip();
        Run ok = habeas("report", "verify", file.toString(), "--log", "http://localhost:" + port + "/log", "--vkey", vkey);
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("valid: every figure of " + period);

        // the column sets of Google's and Meta's reports, exactly
        HttpResponse<String> google = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/reports/" + period + "?format=google"))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(google.body().lines().findFirst()).get().isEqualTo(String.join(",", org.habeas.transparency.Reports.GOOGLE));
        HttpResponse<String> meta = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/reports/" + period + "?format=meta"))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(meta.body().lines().findFirst()).get().isEqualTo(String.join(",", org.habeas.transparency.Reports.META));
        HttpResponse<byte[]> pdf = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/reports/" + period + "?format=pdf"))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf.body())) {
            assertThat(new org.apache.pdfbox.text.PDFTextStripper().getText(doc))
                    .contains("Transparency report " + period + " (not published)")
                    .contains(report.get("log").get("root").stringValue());
        }
        HttpResponse<String> badFormat = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/reports/" + period + "?format=xlsx"))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badFormat.statusCode()).isEqualTo(400);
        assertThat(badFormat.body()).contains("\"parameter\":\"format\"");

        // a copy of the log with one entry's outcome changed (re-hashed, re-signed): the report no longer matches,
        // and the verifier names the figure
        long size = report.get("log").get("size").asLong();
        List<byte[]> entries = new ArrayList<>(publicLog.entries(0, (int) size));
        JsonMapper json = JsonMapper.builder().build();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = json.readTree(new String(entries.get(i), java.nio.charset.StandardCharsets.UTF_8));
            if (e.get("event").stringValue().equals("ASSESSED") && e.get("period").stringValue().equals(period)) {
                String changed = e.get("outcome").stringValue().equals("ESCALATE") ? "ACCEPT" : "ESCALATE";
                ((tools.jackson.databind.node.ObjectNode) e).put("outcome", changed);
                entries.set(i, org.habeas.json.CanonicalJson.write(e).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                break;
            }
        }
        java.security.KeyPair copyKey = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String origin = report.get("log").get("origin").stringValue();
        StaticLog copy = new StaticLog(entries, origin, copyKey);
        List<String> differences = org.habeas.transparency.ReportVerifier.verify(report, copy.fetcher(),
                new Note.Verifier(origin, Note.ED25519, Note.raw(copyKey.getPublic())));
        assertThat(differences).anySatisfy(d -> assertThat(d).startsWith("total escalated: report"));
        assertThat(differences).anySatisfy(d -> assertThat(d).startsWith("log.root"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.stringValue()));
        return out;
    }
}

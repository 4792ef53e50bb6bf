package org.habeas.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.test.context.DynamicPropertyRegistry;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The two databases every database test runs on. H2 is an in-memory database in PostgreSQL mode, one per
 * Spring context. PostgreSQL is a real server: the embedded PostgreSQL 15 (one per test JVM) or, when
 * {@code SPRING_DATASOURCE_URL} is set, that database; each Spring context gets its own schema, which
 * Flyway creates and migrates.
 */
public final class TestDatabases {

    private static final AtomicInteger CONTEXTS = new AtomicInteger();
    private static EmbeddedPostgres embedded;

    private TestDatabases() {
    }

    public static void h2(DynamicPropertyRegistry r) {
        String url = "jdbc:h2:mem:habeas-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        r.add("spring.datasource.url", () -> url);
        r.add("spring.datasource.username", () -> "sa");
        r.add("spring.datasource.password", () -> "");
        tileStore(r);
    }

    /** Each context's log writes its tiles to a directory of its own (the logs of two contexts differ). */
    private static void tileStore(DynamicPropertyRegistry r) {
        String dir = home("habeas-tiles").toString();
        r.add("habeas.ledger.tile-store", () -> dir);
    }

    /** A fresh schema on the test PostgreSQL, for a server of its own (Flyway creates it). */
    public record Postgres(String url, String user, String password, String schema) {
    }

    public static Postgres postgresSchema() {
        String base;
        String user;
        String password;
        String external = System.getenv("SPRING_DATASOURCE_URL");
        if (external != null && external.startsWith("jdbc:postgresql:")) {
            base = external;
            user = System.getenv().getOrDefault("SPRING_DATASOURCE_USERNAME", "postgres");
            password = System.getenv().getOrDefault("SPRING_DATASOURCE_PASSWORD", "");
        } else {
            base = embedded().getJdbcUrl("postgres", "postgres");
            user = "postgres";
            password = "";
        }
        String schema = "habeas_test_" + CONTEXTS.incrementAndGet() + "_" + Long.toHexString(System.nanoTime());
        return new Postgres(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password, schema);
    }

    public static void postgres(DynamicPropertyRegistry r) {
        Postgres pg = postgresSchema();
        r.add("spring.datasource.url", pg::url);
        r.add("spring.datasource.username", pg::user);
        r.add("spring.datasource.password", pg::password);
        r.add("spring.flyway.schemas", pg::schema);
        tileStore(r);
    }

    /** A fresh HABEAS_HOME for a test context (demo tokens, log key), under the system's temporary directory. */
    public static java.nio.file.Path home(String prefix) {
        try {
            return java.nio.file.Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized EmbeddedPostgres embedded() {
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return embedded;
    }
}

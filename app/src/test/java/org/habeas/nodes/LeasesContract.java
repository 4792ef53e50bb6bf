package org.habeas.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.habeas.support.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The leases that keep each scheduled job to one node, on the real schema (Flyway's migrations) of H2 and of
 * PostgreSQL: one holder at a time, also when many nodes ask at once; the holder renews; another node takes over
 * once the lease has run out, or at once when the holder stops; health tells each node what it last saw.
 */
abstract class LeasesContract {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-10-01T09:00:00Z"));
    private DataSource db;
    private JdbcClient jdbc;

    /** A fresh, empty database for one test, and the schema Flyway puts in it (null: the default). */
    abstract DataSource database();

    abstract String schema();

    @BeforeEach
    void migrate() {
        db = database();
        var flyway = Flyway.configure().dataSource(db).locations("classpath:db/migration");
        if (schema() != null) {
            flyway = flyway.schemas(schema());
        }
        flyway.load().migrate();
        jdbc = JdbcClient.create(db);
    }

    private Leases node(String name) {
        return new Leases(jdbc, new TransactionTemplate(new DataSourceTransactionManager(db)), clock, name);
    }

    @Test
    void oneNodeHoldsALeaseUntilItRunsOutThenAnotherTakesOver() {
        Leases one = node("one");
        Leases two = node("two");
        assertThat(one.node()).startsWith("one-").isNotEqualTo(node("one").node());
        assertThat(one.hold("job", Duration.ofSeconds(10))).isTrue();
        assertThat(two.hold("job", Duration.ofSeconds(10))).isFalse();
        clock.advance(Duration.ofSeconds(8));
        assertThat(one.hold("job", Duration.ofSeconds(10))).as("the holder renews").isTrue();
        clock.advance(Duration.ofSeconds(8));
        assertThat(two.hold("job", Duration.ofSeconds(10))).as("renewed: still held").isFalse();
        assertThat(two.states().get("job").holder()).isEqualTo(one.node());
        assertThat(jdbc.sql("select holder from node_lease where name = 'job'").query(String.class).single())
                .isEqualTo(one.node());

        // the holder dies (it renews no more): once the lease has run out the other node takes it
        clock.advance(Duration.ofSeconds(11));
        assertThat(two.hold("job", Duration.ofSeconds(10))).isTrue();
        assertThat(one.hold("job", Duration.ofSeconds(10))).isFalse();
        assertThat(one.holds("job")).isFalse();
        assertThat(two.holds("job")).isTrue();

        // other leases are independent
        assertThat(one.hold("other", Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void ofManyNodesAskingAtOnceExactlyOneGetsTheLease() throws Exception {
        int n = 8;
        List<Leases> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(node("n" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            for (int round = 0; round < 3; round++) {
                String name = "race-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> got = new ArrayList<>();
                for (Leases l : nodes) {
                    got.add(pool.submit(() -> {
                        start.await();
                        return l.hold(name, Duration.ofSeconds(30));
                    }));
                }
                start.countDown();
                int winners = 0;
                for (Future<Boolean> f : got) {
                    winners += f.get() ? 1 : 0;
                }
                assertThat(winners).as("holders of " + name).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNodeThatStopsReleasesItsLeasesAtOnce() {
        Leases one = node("one");
        Leases two = node("two");
        assertThat(one.hold("job", Duration.ofMinutes(5))).isTrue();
        assertThat(two.hold("job", Duration.ofMinutes(5))).isFalse();
        one.releaseAll();
        assertThat(two.hold("job", Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void healthShowsWhoHoldsEachLeaseAsThisNodeLastSawIt() {
        Leases one = node("one");
        Leases two = node("two");
        one.hold("checkpoint-signer", Duration.ofSeconds(10));
        two.hold("checkpoint-signer", Duration.ofSeconds(10));
        var mine = new LeaseHealth(one).health();
        var theirs = new LeaseHealth(two).health();
        assertThat(mine.getStatus()).isEqualTo(Status.UP);
        assertThat(mine.getDetails().get("node")).isEqualTo(one.node());
        assertThat(mine.getDetails().get("checkpoint-signer").toString()).contains("held=true");
        assertThat(theirs.getStatus()).isEqualTo(Status.UP);
        assertThat(theirs.getDetails().get("checkpoint-signer").toString()).contains("held=false")
                .contains("holder=" + one.node());
        // the database goes away: health still answers, from memory, and says why
        jdbc.sql("drop table node_lease").update();
        assertThat(two.hold("checkpoint-signer", Duration.ofSeconds(10))).isFalse();
        assertThat(new LeaseHealth(two).health().getDetails().get("checkpoint-signer").toString())
                .contains("the database did not answer");
    }
}

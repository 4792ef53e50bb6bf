package org.habeas.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Start-up waits for the database instead of dying, and health says what is wrong, fast: the log's start-up check
 * retries until the database answers (and signs nothing before), and the database's health is DOWN within two
 * seconds when it does not answer.
 */
class StartupAndHealthTest {

    static volatile boolean down;

    @Test
    void theStartUpCheckWaitsForTheDatabaseAndHealthSaysWhy(@TempDir Path home) throws Exception {
        String url = "jdbc:h2:mem:start-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
        DataSource real = new DriverManagerDataSource(url, "sa", "");
        DataSource flaky = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (down && method.getName().equals("getConnection")) {
                        throw new SQLTransientConnectionException("Connection is not available");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        LedgerStore store = new LedgerStore(JdbcClient.create(flaky), new JdbcTemplate(flaky));
        CheckpointSigner signer = new CheckpointSigner(store,
                LogKey.loadOrCreate(home.resolve("log-key"), "start.example/log"), Clock.systemUTC(), false,
                new org.habeas.nodes.Leases(JdbcClient.create(flaky), new org.springframework.transaction.support.TransactionTemplate(
                        new org.springframework.jdbc.datasource.DataSourceTransactionManager(flaky)), Clock.systemUTC(), ""),
                Duration.ofSeconds(10));
        LogStartup startup = new LogStartup(signer, Duration.ofMillis(500));
        LogHealth health = new LogHealth(signer, new org.springframework.beans.factory.support.StaticListableBeanFactory(java.util.Map.of("startup", startup)).getBeanProvider(LogStartup.class));

        down = true;
        long t0 = System.nanoTime();
        startup.start(); // returns: the server would start, with the check going on
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(signer.checked()).isFalse();
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(health.health().getDetails().get("reason"))).contains("has not run yet");
        assertThatThrownBy(signer::sign).hasMessageContaining("not yet checked");

        down = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!signer.checked() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(signer.checked()).isTrue();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(signer.sign()).isPresent();
        startup.stop();
    }

    @Test
    void healthIsDownWithinTwoSecondsWhenTheDatabaseDoesNotAnswer() {
        for (String url : new String[] {"jdbc:postgresql://127.0.0.1:1/habeas", "jdbc:postgresql://10.255.255.1:5432/habeas"}) {
            DataSourceProperties p = new DataSourceProperties();
            p.setUrl(url);
            p.setUsername("habeas");
            p.setPassword("x");
            LogDatabase db = new LogDatabase(p);
            try {
                long t0 = System.nanoTime();
                var h = new DatabaseHealth(db, Duration.ofMillis(1500)).health();
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(h.getStatus()).as(url).isEqualTo(Status.DOWN);
                assertThat(String.valueOf(h.getDetails().get("reason"))).isNotBlank();
                assertThat(took).as(url).isLessThan(Duration.ofSeconds(2));
            } finally {
                db.destroy();
            }
        }
    }
}

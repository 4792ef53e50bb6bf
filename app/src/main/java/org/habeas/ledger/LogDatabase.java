package org.habeas.ledger;

import javax.sql.DataSource;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The sequencer's own connections: a pool of two to the same database, apart from the pool the request threads
 * share. Requests that wait for their log entries can never take the connection the sequencer needs to write them.
 * It is not a {@link DataSource} bean, so the application's own data source stays the only one.
 */
@Component
class LogDatabase implements DisposableBean {

    private final HikariDataSource dataSource;
    private final LedgerStore store;
    private final TransactionTemplate tx;

    LogDatabase(DataSourceProperties properties) {
        dataSource = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        dataSource.setPoolName("habeas-log");
        dataSource.setMaximumPoolSize(2);
        dataSource.setMinimumIdle(1);
        dataSource.setConnectionTimeout(3_000);
        dataSource.setValidationTimeout(1_000);
        store = new LedgerStore(JdbcClient.create(dataSource), new JdbcTemplate(dataSource));
        tx = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    }

    /** Whether the database answers {@code select 1} (within a second of query time). */
    boolean answers() {
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            st.setQueryTimeout(1);
            try (var rs = st.executeQuery("select 1")) {
                return rs.next() && rs.getInt(1) == 1;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    LedgerStore store() {
        return store;
    }

    TransactionTemplate tx() {
        return tx;
    }

    @Override
    public void destroy() {
        dataSource.close();
    }
}

package org.habeas.nodes;

import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

class LeasesOnH2Test extends LeasesContract {

    @Override
    DataSource database() {
        return new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:leases-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "");
    }

    @Override
    String schema() {
        return null;
    }
}

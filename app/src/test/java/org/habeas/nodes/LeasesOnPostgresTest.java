package org.habeas.nodes;

import javax.sql.DataSource;

import org.habeas.support.TestDatabases;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

class LeasesOnPostgresTest extends LeasesContract {

    private String schema;

    @Override
    DataSource database() {
        TestDatabases.Postgres pg = TestDatabases.postgresSchema();
        schema = pg.schema();
        return new SimpleDriverDataSource(new org.postgresql.Driver(), pg.url(), pg.user(), pg.password());
    }

    @Override
    String schema() {
        return schema;
    }
}

package org.habeas.casework;

import org.habeas.support.TestDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class TeamworkOnPostgresTest extends TeamworkContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.postgres(r);
    }
}

package org.habeas.casework;

import org.habeas.support.TestDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class TeamworkOnH2Test extends TeamworkContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
    }
}

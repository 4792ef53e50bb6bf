package org.habeas.intake;

import org.habeas.support.TestDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class IntakeApiOnH2Test extends IntakeApiContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
    }

    @Override
    String expectedDatabase() {
        return "H2";
    }
}

package org.habeas.eevidence;

import org.habeas.support.TestDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class EevidenceOnPostgresTest extends EevidenceContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.postgres(r);
        eevidence(r);
    }
}

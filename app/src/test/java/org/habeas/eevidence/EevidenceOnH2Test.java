package org.habeas.eevidence;

import org.habeas.support.TestDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class EevidenceOnH2Test extends EevidenceContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        eevidence(r);
    }
}

package org.habeas.accounts;

import org.habeas.support.TestDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class TokenCallsOnPostgresTest extends TokenCallsContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.postgres(r);
    }
}

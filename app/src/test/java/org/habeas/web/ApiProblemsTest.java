package org.habeas.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A database stopped in the middle of a transaction ends it with a rollback that fails too: that is the database
 * being away (503 with Retry-After, nothing kept), not an internal error; a failed rollback for any other reason
 * stays a 500.
 */
class ApiProblemsTest {

    @RestController
    static class Failing {
        @PostMapping("/api/v1/fail")
        void fail(@RequestParam String how) {
            TransactionSystemException e = new TransactionSystemException("JDBC rollback failed",
                    how.equals("other") ? new IllegalStateException("a bug") : new SQLException(
                            "terminating connection due to administrator command", "57P01"));
            if (how.equals("pool")) {
                // as when PostgreSQL ends the connection at commit and the pool has closed it before the rollback
                e = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
            }
            if (how.equals("application")) {
                e = new TransactionSystemException("JDBC rollback failed", new IllegalStateException("closed"));
                e.initApplicationException(new DataAccessResourceFailureException("insert failed",
                        new SQLException("terminating connection", "57P01")));
            }
            throw e;
        }
    }

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Failing()).setControllerAdvice(new ApiProblems()).build();

    @Test
    void aRollbackThatFailsBecauseTheDatabaseStoppedIs503() throws Exception {
        for (String how : new String[] {"shutdown", "application", "pool"}) {
            mvc.perform(post("/api/v1/fail").param("how", how)).andExpect(status().isServiceUnavailable())
                    .andExpect(header().exists("Retry-After"))
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        }
    }

    @Test
    void aRollbackThatFailsForAnotherReasonIs500() throws Exception {
        mvc.perform(post("/api/v1/fail").param("how", "other")).andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }
}

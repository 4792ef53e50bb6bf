package org.habeas.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.habeas.web.Unavailable;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The application's transaction manager, which holds a call back until the log entries its transaction wrote have
 * their indexes — after the commit and after the connection went back to the pool. (A transaction's own
 * synchronization callbacks run while the connection is still held: a thread waiting there for the sequencer keeps
 * a pooled connection from everyone else.) Waiting is bounded: past the time-out the call is answered 503 with
 * Retry-After, saying that the change is kept and its entry will follow.
 */
class Acknowledgements implements ResourceTransactionManager {

    /** Entries written by this thread's committed transactions, not yet waited for. */
    private static final ThreadLocal<List<Long>> COMMITTED = ThreadLocal.withInitial(ArrayList::new);

    private final JdbcTransactionManager transactions;
    private final Sequencer sequencer;
    private final Duration timeout;

    Acknowledgements(DataSource dataSource, Sequencer sequencer, Duration timeout) {
        this.transactions = new JdbcTransactionManager(dataSource);
        this.sequencer = sequencer;
        this.timeout = timeout;
    }

    @Override
    public TransactionStatus getTransaction(TransactionDefinition definition) {
        return transactions.getTransaction(definition);
    }

    @Override
    public Object getResourceFactory() {
        return transactions.getResourceFactory();
    }

    /** Called when a transaction that wrote {@code seq} has committed: the thread waits for it once it is free. */
    static void committed(long seq) {
        COMMITTED.get().add(seq);
    }

    @Override
    public void commit(TransactionStatus status) {
        boolean ok = false;
        try {
            transactions.commit(status);
            ok = true;
        } finally {
            if (!TransactionSynchronizationManager.isActualTransactionActive()) {
                List<Long> seqs = List.copyOf(COMMITTED.get());
                COMMITTED.remove();
                if (ok) {
                    await(seqs);
                }
            }
        }
    }

    @Override
    public void rollback(TransactionStatus status) {
        try {
            transactions.rollback(status);
        } finally {
            if (!TransactionSynchronizationManager.isActualTransactionActive()) {
                // entries of inner transactions that did commit are integrated all the same
                COMMITTED.remove();
            }
        }
    }

    /** Waits, without any connection, until every entry has its index; 503 past the time-out. */
    void await(List<Long> seqs) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long seq : seqs) {
            try {
                sequencer.await(seq, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (TimeoutException e) {
                throw notYetLogged(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw notYetLogged(timeout);
            }
        }
    }

    static Unavailable notYetLogged(Duration timeout) {
        return new Unavailable("Not yet in the public log",
                "This call's change was recorded, but the public log has not given its entry an index within "
                        + timeout.toSeconds() + " s; it will, and nothing is lost. Read the resource later, or retry "
                        + "with the same Idempotency-Key.", Duration.ofSeconds(2), true);
    }
}

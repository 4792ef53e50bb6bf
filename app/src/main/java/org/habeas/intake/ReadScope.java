package org.habeas.intake;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What one call has read or written, so that it reads each thing once: a submission, from its check through its
 * transaction to the representation it answers with; one representation (or one page of them), whose parts
 * several modules build from the same case. Outside a scope every read goes to the database.
 *
 * <p>Each module keeps its own kinds (a case, an assessment, a request): the module that writes a kind puts what it
 * wrote, or updates or forgets it, so that what the scope gives is what the database holds for this call. A rolled
 * back transaction empties the scope. The scope belongs to the thread that opened it and ends with {@link #within}.
 */
public final class ReadScope {

    /** A key read and found to have nothing. */
    private static final Object ABSENT = new Object();
    private static final ThreadLocal<ReadScope> CURRENT = new ThreadLocal<>();

    private final Map<String, Map<Object, Object>> kinds = new HashMap<>();
    private boolean watchingRollback;

    private ReadScope() {
    }

    /** What runs in a scope. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T get() throws E;
    }

    /** Runs {@code work} in the scope already open on this thread, or in a new one that ends with it. */
    public static <T, E extends Exception> T within(Work<T, E> work) throws E {
        if (CURRENT.get() != null) {
            return work.get();
        }
        CURRENT.set(new ReadScope());
        try {
            return work.get();
        } finally {
            CURRENT.remove();
        }
    }

    /** The one value of {@code kind} for {@code key}: remembered, or loaded and remembered. */
    @SuppressWarnings("unchecked")
    public static <K, V> Optional<V> one(String kind, K key, Function<K, Optional<V>> load) {
        ReadScope scope = CURRENT.get();
        if (scope == null) {
            return load.apply(key);
        }
        Map<Object, Object> known = scope.kinds.computeIfAbsent(kind, k -> new HashMap<>());
        Object v = known.get(key);
        if (v == null) {
            Optional<V> loaded = load.apply(key);
            known.put(key, loaded.isPresent() ? loaded.get() : ABSENT);
            return loaded;
        }
        return v == ABSENT ? Optional.empty() : Optional.of((V) v);
    }

    /**
     * The values of {@code kind} for {@code keys}, those found only: what is remembered, and the rest loaded in one
     * call of {@code load} (which leaves out the keys that have none) and remembered.
     */
    @SuppressWarnings("unchecked")
    public static <K, V> Map<K, V> all(String kind, Collection<K> keys, Function<Set<K>, Map<K, V>> load) {
        ReadScope scope = CURRENT.get();
        Set<K> wanted = new LinkedHashSet<>(keys);
        if (scope == null) {
            return load.apply(wanted);
        }
        Map<Object, Object> known = scope.kinds.computeIfAbsent(kind, k -> new HashMap<>());
        Set<K> missing = new LinkedHashSet<>();
        for (K k : wanted) {
            if (!known.containsKey(k)) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            Map<K, V> loaded = load.apply(missing);
            for (K k : missing) {
                V v = loaded.get(k);
                known.put(k, v == null ? ABSENT : v);
            }
        }
        Map<K, V> out = new LinkedHashMap<>();
        for (K k : wanted) {
            Object v = known.get(k);
            if (v != ABSENT) {
                out.put(k, (V) v);
            }
        }
        return out;
    }

    /** What was just written of {@code kind} for {@code key} ({@code null}: there is none). */
    public static void put(String kind, Object key, Object value) {
        ReadScope scope = CURRENT.get();
        if (scope == null) {
            return;
        }
        scope.watchRollback();
        scope.kinds.computeIfAbsent(kind, k -> new HashMap<>()).put(key, value == null ? ABSENT : value);
    }

    /** Changes what is remembered of {@code kind} for {@code key} as it was just changed in the database. */
    @SuppressWarnings("unchecked")
    public static <V> void update(String kind, Object key, UnaryOperator<V> change) {
        ReadScope scope = CURRENT.get();
        if (scope == null) {
            return;
        }
        Map<Object, Object> known = scope.kinds.get(kind);
        Object v = known == null ? null : known.get(key);
        if (v != null && v != ABSENT) {
            scope.watchRollback();
            known.put(key, change.apply((V) v));
        } else if (known != null) {
            known.remove(key);
        }
    }

    /** Forgets what is remembered of {@code kind} for {@code key}: the next read goes to the database. */
    public static void forget(String kind, Object key) {
        ReadScope scope = CURRENT.get();
        if (scope != null && scope.kinds.get(kind) != null) {
            scope.kinds.get(kind).remove(key);
        }
    }

    /** A write that is rolled back was never there: the scope forgets everything when its transaction does. */
    private void watchRollback() {
        if (watchingRollback || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        watchingRollback = true;
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                watchingRollback = false;
                if (status != STATUS_COMMITTED) {
                    kinds.clear();
                }
            }
        });
    }
}

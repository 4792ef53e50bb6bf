package org.habeas.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Counts, per thread, the SQL statements the application prepares and the rows it reads through its data source:
 * a JDBC wrapper around the application's {@link DataSource}. Import it into a test context with
 * {@code @Import(StatementCounter.Wrapping.class)}; {@link #start()} and {@link #stop()} bracket what is measured.
 */
public final class StatementCounter {

    /** What one thread did between start and stop. */
    public record Counts(long statements, long rows, java.util.List<String> sql) {
        @Override
        public String toString() {
            return "Counts[statements=" + statements + ", rows=" + rows + "]";
        }
    }

    private static final ThreadLocal<long[]> COUNTS = new ThreadLocal<>();
    private static final ThreadLocal<java.util.List<String>> SQL = new ThreadLocal<>();

    private StatementCounter() {
    }

    public static void start() {
        COUNTS.set(new long[2]);
        SQL.set(new java.util.ArrayList<>());
    }

    public static Counts stop() {
        long[] c = COUNTS.get();
        COUNTS.remove();
        java.util.List<String> sql = SQL.get();
        SQL.remove();
        return new Counts(c[0], c[1], sql);
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Wrapping {

        @Bean
        static BeanPostProcessor countingDataSource() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof DataSource ds ? wrap(ds, DataSource.class) : bean;
                }
            };
        }
    }

    /** A proxy that counts statements created by connections, and rows read from their result sets. */
    @SuppressWarnings("unchecked")
    static <T> T wrap(T target, Class<T> type) {
        InvocationHandler h = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            long[] c = COUNTS.get();
            String m = method.getName();
            if (c != null && target instanceof Connection
                    && (m.equals("prepareStatement") || m.equals("createStatement") || m.equals("prepareCall"))) {
                c[0]++;
                SQL.get().add(args != null && args.length > 0 && args[0] instanceof String q
                        ? q.replaceAll("\\s+", " ") : m);
            }
            if (c != null && target instanceof ResultSet && m.equals("next") && Boolean.TRUE.equals(result)) {
                c[1]++;
            }
            if (result == null || m.equals("unwrap")) {
                return result;
            }
            Class<?> returned = method.getReturnType();
            if (returned == Connection.class || Statement.class.isAssignableFrom(returned) || returned == ResultSet.class) {
                return wrap(result, (Class<Object>) returned);
            }
            return result;
        };
        return (T) Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), new Class<?>[] {type}, h);
    }
}

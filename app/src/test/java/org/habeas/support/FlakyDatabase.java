package org.habeas.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLTransientConnectionException;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A database outage for the application's pool: while {@link #down} is set, asking its {@link DataSource} for a
 * connection fails as Hikari does when the database does not answer. Import with
 * {@code @Import(FlakyDatabase.Wrapping.class)}.
 */
public final class FlakyDatabase {

    public static volatile boolean down;

    private FlakyDatabase() {
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Wrapping {

        @Bean
        static BeanPostProcessor flakyDataSource() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!(bean instanceof DataSource ds)) {
                        return bean;
                    }
                    return Proxy.newProxyInstance(FlakyDatabase.class.getClassLoader(), new Class<?>[] {DataSource.class},
                            (proxy, method, args) -> {
                                if (down && method.getName().equals("getConnection")) {
                                    throw new SQLTransientConnectionException("habeas - Connection is not available");
                                }
                                try {
                                    return method.invoke(ds, args);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                }
            };
        }
    }
}

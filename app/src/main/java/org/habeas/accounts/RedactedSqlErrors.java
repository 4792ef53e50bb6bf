package org.habeas.accounts;

import java.sql.SQLException;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.UncategorizedDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * No database error text reaches a log: a database's message can quote the row it concerns (H2's lock time-out
 * quotes the whole row, a password hash and a TOTP secret among it; PostgreSQL's unique violation quotes the key).
 * Every JDBC error is translated as usual into Spring's exception types, but with a message of the task, the SQL
 * (with placeholders, never values), the SQLSTATE and the vendor code, and without the driver's exception as cause.
 */
@Configuration(proxyBeanMethods = false)
class RedactedSqlErrors {

    @Bean
    static BeanPostProcessor redactSqlErrors() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof JdbcTemplate t && !(t.getExceptionTranslator() instanceof Translator)) {
                    t.setExceptionTranslator(new Translator(t.getExceptionTranslator()));
                }
                return bean;
            }
        };
    }

    /** A database error whose own text is withheld. */
    static final class Withheld extends UncategorizedDataAccessException {
        Withheld(String message) {
            super(message, null);
        }
    }

    static final class Translator implements SQLExceptionTranslator {
        private final SQLExceptionTranslator delegate;

        Translator(SQLExceptionTranslator delegate) {
            this.delegate = delegate;
        }

        @Override
        public DataAccessException translate(String task, String sql, SQLException ex) {
            DataAccessException full = delegate.translate(task, sql, ex);
            String message = task + "; SQL [" + sql + "]; SQLSTATE " + ex.getSQLState() + ", error code "
                    + ex.getErrorCode() + " (the database's message is withheld: it may quote row values)";
            if (full == null) {
                return new Withheld(message);
            }
            try {
                return full.getClass().getConstructor(String.class).newInstance(message);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new Withheld(message);
            }
        }
    }
}

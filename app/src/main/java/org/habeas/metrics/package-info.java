/**
 * Habeas's own metrics for operators, exported with the JVM's and the server's at {@code /actuator/prometheus}:
 * requests, decisions, cases, deadlines, notices, packages and the public log. Read from the database by a job, so
 * that a scrape never waits on it.
 */
package org.habeas.metrics;

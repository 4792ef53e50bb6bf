package org.habeas.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

import org.habeas.intake.RequestValidator;
import org.habeas.intake.Validation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + validate + canonicalize one Request v1 document, as {@code POST /api/v1/requests} does before it
 * touches the database. One thread. The samples are the demo requests: a small EU production order, a long
 * request with many optional fields, and an invalid one (every problem collected).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ValidationBench {

    @Param({"01-fr-fraud.json", "06-ru-false-information.json", "invalid"})
    String sample;

    private RequestValidator validator;
    private byte[] body;

    @Setup
    public void setUp() {
        validator = new RequestValidator();
        if ("invalid".equals(sample)) {
            body = """
                    {"reference": "R-1", "instrument": "UNCC", "channel": "EMERGENCY", "measure": "PRODUCTION",
                     "dataCategories": [], "requestingState": "XX", "requestedState": "ie",
                     "requestingAuthority": {"name": "Police"},
                     "offence": {"statute": "s. 1", "description": " "}, "facts": "f",
                     "targets": [{"type": "ACCOUNT"}], "preservationDays": 90, "period": {"from": "2026-02-01", "to": "2026-01-01"}}
                    """.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else {
            try (InputStream in = RequestValidator.class.getResourceAsStream("/demo/" + sample)) {
                body = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Validation check = validator.validate(body);
        if ((check instanceof Validation.Valid) == "invalid".equals(sample)) {
            throw new IllegalStateException(sample + " gave " + check);
        }
    }

    @Benchmark
    public Validation validate() {
        return validator.validate(body);
    }
}

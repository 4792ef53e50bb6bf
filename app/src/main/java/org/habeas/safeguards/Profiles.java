package org.habeas.safeguards;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads profiles: the shipped ones by name ({@code rights-first}, {@code treaty-minimum}) or an operator's YAML
 * file by path.
 */
public final class Profiles {

    public static final List<String> BUILT_IN = List.of("rights-first", "treaty-minimum");
    public static final String DEFAULT = "rights-first";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** The shipped profiles, read once: profiles are immutable. */
    private static final Map<String, Profile> SHIPPED = new ConcurrentHashMap<>();

    private Profiles() {
    }

    /** A shipped profile by name, or a profile file by path (read on every call: the operator may edit it). */
    public static Profile load(String nameOrPath) {
        if (BUILT_IN.contains(nameOrPath)) {
            return SHIPPED.computeIfAbsent(nameOrPath, Profiles::shipped);
        }
        Path path = Path.of(nameOrPath);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("profile '" + nameOrPath + "' is neither "
                    + String.join(" nor ", BUILT_IN) + " nor a readable file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return read(path.toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Profile shipped(String name) {
        try (InputStream in = Profiles.class.getResourceAsStream("/safeguards/profiles/" + name + ".yaml")) {
            return read(name + ".yaml", in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Profile read(String name, InputStream in) {
        try {
            return YAML.readValue(in, Profile.class);
        } catch (JacksonException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            String message = cause == e ? e.getOriginalMessage() : cause.getMessage();
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new IllegalArgumentException(name + (line > 0 ? ":" + line : "") + ": " + message, e);
        }
    }
}

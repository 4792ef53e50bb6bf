package org.habeas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.Callable;

import org.habeas.disclosure.PackageKeys;
import org.habeas.disclosure.Packages;
import org.habeas.ledger.Note;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import tools.jackson.databind.JsonNode;

/** {@code habeas package}: what a requesting agency does with a production package, offline. */
@Command(name = "package", description = "Open a production package received from Habeas, or create the key pair "
        + "an agency receives packages with.", subcommands = {PackageCommand.Open.class, PackageCommand.Keygen.class})
final class PackageCommand implements Callable<Integer> {

    static final String LANG = "Language of the messages: en or fr (default: from LC_ALL, LC_MESSAGES or LANG; English).";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code habeas package} alone names no action: the usage, and exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("package: name an action: open or keygen");
        spec.commandLine().usage(spec.commandLine().getErr());
        return HabeasCommand.BAD_INPUT;
    }

    @Command(name = "open", description = "Decrypt a package (.jwe) with the agency's private key, check the manifest's "
            + "signature by the operator's key and every file's SHA-256 against it, and only then write the manifest "
            + "and the files. Exit 0 all checks passed, 1 a check failed (nothing written), 2 bad input.")
    static final class Open implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The downloaded package (compact JWE).")
        Path file;

        @Option(names = "--key", required = true, paramLabel = "KEY.jwk",
                description = "The agency's private encryption key as a JWK (P-256).")
        Path key;

        @Option(names = "--vkey", paramLabel = "VKEY", description = "The operator's verifier key (name+keyid+key, as "
                + "served at /disclosure/vkey), or a file holding it. Without it the signature is not checked.")
        String vkey;

        @Option(names = "--out", paramLabel = "DIR", description = "Where to write the files (default: FILE without .jwe); "
                + "must not exist yet.")
        Path out;

        @Option(names = "--lang", paramLabel = "LANG", description = LANG)
        String lang;

        @Override
        public Integer call() throws IOException {
            CliWords w = CliWords.of(lang);
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter stdout = spec.commandLine().getOut();
            String jwe;
            ECKey recipient;
            Note.Verifier operator = null;
            JWEObject parsed;
            try {
                jwe = read(file, "read.package", w).strip();
                try {
                    parsed = JWEObject.parse(jwe);
                } catch (ParseException e) {
                    throw new BadInput(w.say("open.notJwe", file));
                }
                recipient = privateKey(read(key, "read.key", w), w);
                String kid = parsed.getHeader().getKeyID();
                if (kid != null && recipient.getKeyID() != null && !kid.equals(recipient.getKeyID())) {
                    throw new BadInput(w.say("open.otherKey", kid, recipient.getKeyID()));
                }
                if (vkey != null) {
                    String text = Files.isRegularFile(Path.of(vkey)) ? Files.readString(Path.of(vkey)) : vkey;
                    try {
                        operator = Note.Verifier.parse(text.strip());
                    } catch (IllegalArgumentException e) {
                        throw new BadInput(w.say("open.notVkey", e.getMessage()));
                    }
                }
                if (out == null) {
                    String name = file.getFileName().toString();
                    out = file.toAbsolutePath().resolveSibling(name.endsWith(".jwe") ? name.substring(0, name.length() - 4)
                            : name + ".opened");
                }
                if (Files.exists(out)) {
                    throw new BadInput(w.say("open.outExists", out));
                }
            } catch (BadInput e) {
                err.println("package open: " + e.getMessage());
                return HabeasCommand.BAD_INPUT;
            }

            Map<String, byte[]> entries;
            JsonNode manifest;
            try {
                entries = Packages.unzip(Packages.decrypt(jwe, recipient));
                manifest = Packages.check(entries, operator);
            } catch (Packages.Invalid e) {
                err.println("package open: " + w.say("open.invalid", e.getMessage()));
                return LogCommand.INVALID;
            }

            // written into a fresh sibling directory, then moved into place whole: never a half-written package
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, ".habeas-package-");
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                Path target = tmp.resolve(e.getKey()).normalize();
                Files.createDirectories(target.getParent());
                Files.write(target, e.getValue());
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            int files = manifest.path("files").size();
            stdout.println(w.say("open.valid", files, manifest.path("reference").stringValue(),
                    operator == null ? w.say("open.notChecked") : w.say("open.signedBy", operator.name()), out.toString()));
            if (operator == null) {
                err.println(w.say("open.warning"));
            }
            return 0;
        }
    }

    @Command(name = "keygen", description = "Create a P-256 key pair for receiving packages: the private JWK goes to "
            + "--out (readable by its owner only), the public JWK to standard output, to register with Habeas.")
    static final class Keygen implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "KEY.jwk", description = "Where to write the private key; must not exist.")
        Path out;

        @Option(names = "--kid", description = "The key's id (default: a random one).")
        String kid;

        @Option(names = "--lang", paramLabel = "LANG", description = LANG)
        String lang;

        @Override
        public Integer call() throws IOException, JOSEException {
            if (Files.exists(out)) {
                spec.commandLine().getErr().println("package keygen: " + CliWords.of(lang).say("keygen.exists", out));
                return HabeasCommand.BAD_INPUT;
            }
            ECKey pair = PackageKeys.generate(kid != null && !kid.isBlank() ? kid.strip()
                    : "enc-" + java.util.UUID.randomUUID().toString().substring(0, 8));
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".habeas-key-", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            Files.writeString(tmp, pair.toJSONString() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getOut().println(pair.toPublicJWK().toJSONString());
            return 0;
        }
    }

    private static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    private static String read(Path p, String what, CliWords w) throws BadInput {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInput(w.say("read.failed", w.say(what), p, e instanceof java.nio.file.NoSuchFileException
                    ? w.say("read.noSuchFile") : HabeasCommand.oneLine(e)));
        }
    }

    private static ECKey privateKey(String json, CliWords w) throws BadInput {
        JWK jwk;
        try {
            jwk = JWK.parse(json.strip());
        } catch (ParseException | RuntimeException e) {
            throw new BadInput(w.say("key.notJwk"));
        }
        if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
            throw new BadInput(w.say("key.notP256"));
        }
        if (!ec.isPrivate()) {
            throw new BadInput(w.say("key.public"));
        }
        return ec;
    }
}

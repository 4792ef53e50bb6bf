package org.habeas.disclosure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.habeas.accounts.Agencies;
import org.habeas.accounts.Agency;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;

/**
 * Demo mode: every demo agency without an encryption key gets one, so that an accepted demo request can be executed
 * and its package opened. The private keys, which a real agency would never hand over, are written to
 * {@code $HABEAS_HOME/demo-keys/<STATE>.jwk} (the demo requester's agency is {@code GB}).
 */
@Component
@ConditionalOnBooleanProperty(name = "habeas.demo.enabled")
@Order(2) // after the demo agencies
class DemoEncryptionKeys implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoEncryptionKeys.class);

    private final Agencies agencies;
    private final EncryptionKeys keys;
    private final Path folder;

    DemoEncryptionKeys(Agencies agencies, EncryptionKeys keys, @Value("${habeas.home}") Path home) {
        this.agencies = agencies;
        this.keys = keys;
        this.folder = home.resolve("demo-keys");
    }

    @Override
    public void run(ApplicationArguments args) throws IOException, JOSEException {
        int added = 0;
        for (Agency a : agencies.list()) {
            if (keys.current(a.id()).isPresent()) {
                continue;
            }
            ECKey pair = PackageKeys.generate("demo-enc-" + a.state().toLowerCase(java.util.Locale.ROOT) + "-"
                    + a.id().toString().substring(0, 8));
            Files.createDirectories(folder);
            Path file = folder.resolve(a.state() + ".jwk");
            Path tmp = folder.resolve(a.state() + ".jwk.tmp");
            Files.writeString(tmp, pair.toJSONString() + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own protection applies
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            keys.register(a.id(), pair.toPublicJWK().toJSONString(), "demo");
            added++;
        }
        if (added > 0) {
            log.info("Demo mode: registered an encryption key for {} agencies; their private keys are in {}", added, folder);
        }
    }
}

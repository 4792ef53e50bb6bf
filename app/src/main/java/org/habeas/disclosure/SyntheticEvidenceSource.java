package org.habeas.disclosure;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.stereotype.Component;

/**
 * The demo's and the tests' evidence source: fictional, deterministic records for any target, category and
 * period. An operator replaces it with a bean of its own that reads its systems.
 */
@Component
@ConditionalOnMissingBean(value = EvidenceSource.class, ignored = SyntheticEvidenceSource.class)
class SyntheticEvidenceSource implements EvidenceSource {

    @Override
    public List<EvidenceFile> fetch(String targetType, String targetValue, String category, LocalDate from, LocalDate to) {
        String safe = targetValue.replaceAll("[^A-Za-z0-9._@-]", "_");
        String body = "# FICTIONAL demo data produced by Habeas's synthetic evidence source\n"
                + "target_type,target,category,from,to\n"
                + targetType + "," + targetValue.replace(",", " ") + "," + category + "," + from + "," + to + "\n";
        return List.of(new EvidenceFile(category.toLowerCase(Locale.ROOT) + "/" + safe + ".csv", "text/csv",
                body.getBytes(StandardCharsets.UTF_8)));
    }
}

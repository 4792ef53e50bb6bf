package org.habeas.disclosure;

import java.time.LocalDate;
import java.util.List;

/**
 * How Habeas asks the operator's own systems for data. An implementation returns, for one target and one data
 * category within a period, the files that hold it. Habeas calls it only for the approved scope.
 */
public interface EvidenceSource {

    /** One file of produced data. */
    record EvidenceFile(String name, String mediaType, byte[] content) {
    }

    List<EvidenceFile> fetch(String targetType, String targetValue, String category, LocalDate from, LocalDate to);
}

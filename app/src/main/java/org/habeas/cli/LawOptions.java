package org.habeas.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.habeas.safeguards.Safeguards;

import picocli.CommandLine.Option;

/** The knowledge-base options the assessing commands share. */
final class LawOptions {

    @Option(names = "--law-dir", paramLabel = "DIR", description = "A directory of knowledge-base files that override the shipped ones.")
    Path lawDir;

    @Option(names = "--assume-in-force", paramLabel = "INSTRUMENT",
            description = "Evaluate as if the instrument were in force between any two states (e.g. UNCC). Repeatable.")
    List<String> assumeInForce = new ArrayList<>();

    /** The engine on the shipped knowledge base with these options applied. */
    Safeguards engine() {
        KnowledgeBase kb = new LawLoader().load(lawDir);
        return new Safeguards(assumeInForce.isEmpty() ? kb : kb.assumingInForce(Set.copyOf(assumeInForce)));
    }
}

package org.habeas.eevidence;

import java.util.List;

import tools.jackson.databind.node.ObjectNode;

/**
 * An EPOC or EPOC-PR as read from its HI-1 message: the Request v1 document it becomes, the objects it creates
 * (answered one CREATEResponse each) and the documents it carries (the signed form first).
 */
record Epoc(Kind kind, String authorisationId, ObjectNode request, List<Created> created, List<Attachment> documents) {

    enum Kind {
        PRODUCTION("production", "EPOC", "LDTaskObject", "Form1", "PRODUCTION",
                "European Production Order Certificate (EPOC, Form 1)"),
        PRESERVATION("preservation", "EPOCPR", "LPTaskObject", "Form2", "PRESERVATION",
                "European Preservation Order Certificate (EPOC-PR, Form 2)");

        final String endpoint;
        final String legalType;
        final String taskType;
        final String formType;
        final String measure;
        final String title;

        Kind(String endpoint, String legalType, String taskType, String formType, String measure, String title) {
            this.endpoint = endpoint;
            this.legalType = legalType;
            this.taskType = taskType;
            this.formType = formType;
            this.measure = measure;
            this.title = title;
        }
    }

    /** An object the message CREATEs: answered with its identifier, and remembered for later messages. */
    record Created(String actionId, String objectId, String objectType, String reference, List<String> values) {
        Created(String actionId, String objectId, String objectType, String reference) {
            this(actionId, objectId, objectType, reference, List.of());
        }
    }

    /** A document carried in a DocumentObject: kept as the request's document. */
    record Attachment(String actionId, String name, String contentType, byte[] content) {
    }
}

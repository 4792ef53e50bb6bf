package org.habeas.eevidence;

/**
 * A message, or one action of it, refused with a TS 103 120 error code (Annex D, table D.1). {@code action} is the
 * ActionIdentifier the error belongs to, or {@code null} when the whole message is refused.
 */
final class Hi1Fault extends RuntimeException {

    static final int BUSINESS_LOGIC = 3000;
    static final int NOT_SUPPORTED = 3001;
    static final int DUPLICATE_ACTION = 3002;
    static final int TRANSIENT = 3003;
    static final int CONFIGURATION = 3004;
    static final int REQUIRED_MISSING = 3005;
    static final int VALUE_CHANGE_NOT_ALLOWED = 3006;
    static final int IMPROPER_VALUE = 3007;
    static final int OBJECT_EXISTS = 3010;
    static final int UPDATE_OBJECT_MISSING = 3011;
    static final int LINK_TARGET_MISSING = 3016;
    static final int VALIDATION = 3020;
    static final int VERSION = 3021;
    static final int TOO_LARGE = 3022;

    private final int code;
    private final String action;

    Hi1Fault(int code, String action, String description) {
        super(description);
        this.code = code;
        this.action = action;
    }

    /** The same fault for the whole message. */
    static Hi1Fault message(int code, String description) {
        return new Hi1Fault(code, null, description);
    }

    int code() {
        return code;
    }

    String action() {
        return action;
    }

    Hi1Fault forAction(String actionIdentifier) {
        return action != null ? this : new Hi1Fault(code, actionIdentifier, getMessage());
    }
}

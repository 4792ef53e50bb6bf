package org.habeas.portal;

import java.util.ArrayList;
import java.util.List;

import org.habeas.accounts.Agency;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The portal's request form, as submitted, and the Request v1 document it stands for. Empty fields are left out,
 * so that the validator names what is missing. The requesting state and authority are the officer's agency, never
 * typed in.
 */
public class RequestForm {

    public static final int TARGET_ROWS = 3;

    private String reference;
    private String instrument;
    private String measure;
    private List<String> dataCategories = new ArrayList<>();
    private String requestedState;
    private String statute;
    private String offenceDescription;
    private String maxPenaltyYears;
    private String facts;
    private List<String> targetType = new ArrayList<>();
    private List<String> targetValue = new ArrayList<>();
    private String periodFrom;
    private String periodTo;
    private String authorizationKind;
    private String authorizationIssuedBy;
    private String authorizationReference;
    private String authorizationIssuedOn;
    private boolean emergency;
    private String emergencyThreat;
    private boolean emergencyImminent;
    private String emergencyJustification;

    /** The Request v1 document for this form, sent by {@code agency}. */
    ObjectNode toRequest(JsonMapper json, Agency agency) {
        ObjectNode r = json.createObjectNode();
        put(r, "reference", reference);
        put(r, "instrument", instrument);
        r.put("channel", emergency ? "EMERGENCY" : "DIRECT");
        put(r, "measure", measure);
        ArrayNode categories = r.putArray("dataCategories");
        dataCategories.stream().filter(c -> c != null && !c.isBlank()).distinct().forEach(categories::add);
        r.put("requestingState", agency.state());
        put(r, "requestedState", requestedState == null ? null : requestedState.strip().toUpperCase(java.util.Locale.ROOT));
        ObjectNode authority = r.putObject("requestingAuthority");
        authority.put("name", agency.name());
        authority.put("kind", switch (agency.kind()) {
            case COURT -> "COURT";
            case PROSECUTOR -> "PROSECUTOR";
            case CENTRAL_AUTHORITY -> "CENTRAL_AUTHORITY";
            case POLICE, CONTACT_POINT_24_7 -> "POLICE";
        });
        ObjectNode offence = r.putObject("offence");
        put(offence, "statute", statute);
        put(offence, "description", offenceDescription);
        if (maxPenaltyYears != null && !maxPenaltyYears.isBlank()) {
            try {
                offence.put("maxPenaltyYears", Double.parseDouble(maxPenaltyYears.strip()));
            } catch (NumberFormatException e) {
                offence.put("maxPenaltyYears", maxPenaltyYears.strip()); // the validator names the field
            }
        }
        put(r, "facts", facts);
        ArrayNode targets = r.putArray("targets");
        for (int i = 0; i < Math.min(TARGET_ROWS, targetValue.size()); i++) {
            String value = targetValue.get(i);
            if (value != null && !value.isBlank()) {
                ObjectNode t = targets.addObject();
                put(t, "type", i < targetType.size() ? targetType.get(i) : null);
                t.put("value", value.strip());
            }
        }
        if (notBlank(periodFrom) || notBlank(periodTo)) {
            ObjectNode period = r.putObject("period");
            put(period, "from", periodFrom);
            put(period, "to", periodTo);
        }
        if (notBlank(authorizationKind)) {
            ObjectNode a = r.putObject("authorization");
            put(a, "kind", authorizationKind);
            put(a, "issuedBy", authorizationIssuedBy);
            put(a, "reference", authorizationReference);
            put(a, "issuedOn", authorizationIssuedOn);
        }
        if (emergency) {
            ObjectNode e = r.putObject("emergency");
            put(e, "threat", emergencyThreat);
            e.put("imminent", emergencyImminent);
            put(e, "justification", emergencyJustification);
        }
        return r;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void put(ObjectNode o, String name, String value) {
        if (notBlank(value)) {
            o.put(name, value.strip());
        }
    }

    /** Which form field a JSON Pointer from the validator points at, for showing the error next to it. */
    static String field(String pointer) {
        return switch (pointer) {
            case "/offence/statute" -> "statute";
            case "/offence/description" -> "offenceDescription";
            case "/offence/maxPenaltyYears" -> "maxPenaltyYears";
            case "/period/from", "/period" -> "periodFrom";
            case "/period/to" -> "periodTo";
            case "/authorization/kind", "/authorization" -> "authorizationKind";
            case "/authorization/issuedOn" -> "authorizationIssuedOn";
            case "/emergency/threat" -> "emergencyThreat";
            case "/emergency/justification", "/emergency" -> "emergencyJustification";
            default -> pointer.startsWith("/targets") ? "targets"
                    : pointer.startsWith("/dataCategories") ? "dataCategories"
                    : pointer.isEmpty() ? "form" : pointer.substring(1).replaceAll("/.*", "");
        };
    }

    // getters and setters for form binding

    public String getReference() { return reference; }
    public void setReference(String v) { reference = v; }
    public String getInstrument() { return instrument; }
    public void setInstrument(String v) { instrument = v; }
    public String getMeasure() { return measure; }
    public void setMeasure(String v) { measure = v; }
    public List<String> getDataCategories() { return dataCategories; }
    public void setDataCategories(List<String> v) { dataCategories = v == null ? new ArrayList<>() : v; }
    public String getRequestedState() { return requestedState; }
    public void setRequestedState(String v) { requestedState = v; }
    public String getStatute() { return statute; }
    public void setStatute(String v) { statute = v; }
    public String getOffenceDescription() { return offenceDescription; }
    public void setOffenceDescription(String v) { offenceDescription = v; }
    public String getMaxPenaltyYears() { return maxPenaltyYears; }
    public void setMaxPenaltyYears(String v) { maxPenaltyYears = v; }
    public String getFacts() { return facts; }
    public void setFacts(String v) { facts = v; }
    public List<String> getTargetType() { return targetType; }
    public void setTargetType(List<String> v) { targetType = v == null ? new ArrayList<>() : v; }
    public List<String> getTargetValue() { return targetValue; }
    public void setTargetValue(List<String> v) { targetValue = v == null ? new ArrayList<>() : v; }
    public String getPeriodFrom() { return periodFrom; }
    public void setPeriodFrom(String v) { periodFrom = v; }
    public String getPeriodTo() { return periodTo; }
    public void setPeriodTo(String v) { periodTo = v; }
    public String getAuthorizationKind() { return authorizationKind; }
    public void setAuthorizationKind(String v) { authorizationKind = v; }
    public String getAuthorizationIssuedBy() { return authorizationIssuedBy; }
    public void setAuthorizationIssuedBy(String v) { authorizationIssuedBy = v; }
    public String getAuthorizationReference() { return authorizationReference; }
    public void setAuthorizationReference(String v) { authorizationReference = v; }
    public String getAuthorizationIssuedOn() { return authorizationIssuedOn; }
    public void setAuthorizationIssuedOn(String v) { authorizationIssuedOn = v; }
    public boolean isEmergency() { return emergency; }
    public void setEmergency(boolean v) { emergency = v; }
    public String getEmergencyThreat() { return emergencyThreat; }
    public void setEmergencyThreat(String v) { emergencyThreat = v; }
    public boolean isEmergencyImminent() { return emergencyImminent; }
    public void setEmergencyImminent(boolean v) { emergencyImminent = v; }
    public String getEmergencyJustification() { return emergencyJustification; }
    public void setEmergencyJustification(String v) { emergencyJustification = v; }
}

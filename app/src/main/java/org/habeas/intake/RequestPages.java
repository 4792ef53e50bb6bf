package org.habeas.intake;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

import tools.jackson.databind.JsonNode;

/** The request list and the request detail page. */
@Controller
@org.habeas.web.Pages
class RequestPages {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RequestPages.class);

    private static final int PAGE_SIZE = 25;
    private static final List<String> VERIFICATIONS = List.of("VERIFIED", "UNSIGNED", "UNKNOWN_KEY");

    private final Intake intake;
    private final Documents documents;
    private final RequestValidator validator;
    private final List<RequestExtension> extensions;
    private final org.habeas.accounts.Agencies agencies;
    private final org.habeas.accounts.AccessRecord access;
    private final List<RequestView> views;
    private final ResponseClocks clocks;
    private final java.time.Clock clock;

    /** The case states the queue filters on, in the order a case goes through them. */
    static final List<String> STATES = List.of("RECEIVED", "ASSESSED", "IN_REVIEW", "AWAITING_REQUESTER", "DECIDED",
            "EXECUTING", "CLOSED", "WITHDRAWN");

    RequestPages(Intake intake, Documents documents, RequestValidator validator, List<RequestExtension> extensions,
            org.habeas.accounts.Agencies agencies, org.habeas.accounts.AccessRecord access, List<RequestView> views,
            ResponseClocks clocks, java.time.Clock clock) {
        this.views = views;
        this.clocks = clocks;
        this.clock = clock;
        this.intake = intake;
        this.documents = documents;
        this.validator = validator;
        this.extensions = extensions;
        this.agencies = agencies;
        this.access = access;
    }

    @GetMapping("/requests")
    String list(@RequestParam(required = false) String status,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String requestingState,
            @RequestParam(required = false) String instrument,
            @RequestParam(required = false) String measure,
            @RequestParam(required = false) String receivedFrom,
            @RequestParam(required = false) String receivedTo,
            @RequestParam(required = false) String emergency,
            @RequestParam(required = false) String verification,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) String due,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        String state = blankToNull(requestingState);
        if (state != null) {
            state = state.strip().toUpperCase(Locale.ROOT);
        }
        LocalDate from = date(receivedFrom);
        LocalDate to = date(receivedTo);
        String chosen = status == null || status.isBlank() ? null : status.strip();
        RequestView view = views.stream().filter(v -> v.name().equals(chosen)).findFirst().orElse(null);
        String search = q == null || q.isBlank() ? null : q.strip().substring(0, Math.min(q.strip().length(), 200));
        java.util.Map<UUID, org.habeas.accounts.Agency> byId = agencies.byId();
        List<UUID> matchingAgencies = search == null ? List.of() : byId.values().stream()
                .filter(a -> a.name().toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT)))
                .map(org.habeas.accounts.Agency::id).toList();
        RequestQuery query = new RequestQuery(view == null && chosen != null && STATES.contains(chosen) ? chosen : null, state,
                known(instrument, intake.allowedValues("instrument")),
                known(measure, intake.allowedValues("measure")),
                from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                Math.max(0, Math.min(page, 100_000)), PAGE_SIZE, null,
                "yes".equals(emergency) ? Boolean.TRUE : null,
                known(verification, VERIFICATIONS),
                sort(sort), search, org.habeas.accounts.Caller.require().seesIdentifiers(), matchingAgencies,
                view == null ? null : view.ids());
        // the deadline filters: overdue, or due within N days (not yet overdue); the clocks come from casework
        String dueFilter = DueFilter.parse(due);
        java.util.Map<UUID, java.time.Instant> running = dueFilter != null
                || query.sort() == RequestQuery.Sort.DEADLINE ? clocks.running() : Map.of();
        query = DueFilter.apply(query, dueFilter, running, clock);
        Page<ReceivedRequest> result = intake.list(query, running);
        model.addAttribute("due", dueFilter);
        access.viewed("LIST_REQUESTS", "page " + result.page());
        model.addAttribute("result", result);
        model.addAttribute("agencies", byId);
        model.addAttribute("status", view != null || (chosen != null && STATES.contains(chosen)) ? chosen : null);
        model.addAttribute("states", STATES);
        model.addAttribute("views", views);
        model.addAttribute("q", search);
        // each extension's parts for the whole page at once, in one scope: a fixed number of queries, whatever its length
        model.addAttribute("parts", ReadScope.within(() -> parts(result.items())));
        model.addAttribute("requestingState", state);
        model.addAttribute("instrument", query.instrument());
        model.addAttribute("measure", query.measure());
        model.addAttribute("receivedFrom", from);
        model.addAttribute("receivedTo", to);
        model.addAttribute("emergency", query.emergency() != null);
        model.addAttribute("verification", query.verification());
        model.addAttribute("verifications", VERIFICATIONS);
        model.addAttribute("sort", query.sort().name());
        model.addAttribute("instruments", intake.allowedValues("instrument"));
        model.addAttribute("measures", intake.allowedValues("measure"));
        return "requests/list";
    }

    @GetMapping("/requests/{id}")
    ModelAndView detail(@PathVariable String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return notFound();
        }
        boolean identifiers = org.habeas.accounts.Caller.require().seesIdentifiers();
        // one scope for the page: the extensions' parts read the request's case once between them
        return ReadScope.within(() -> detail(uuid, identifiers));
    }

    private ModelAndView detail(UUID uuid, boolean identifiers) {
        return intake.find(uuid).map(r -> {
            access.viewed("VIEW_REQUEST", uuid);
            JsonNode stored = validator.mapper().readTree(r.body());
            JsonNode body = identifiers ? stored : Redaction.withoutIdentifiers(stored);
            ModelAndView mv = new ModelAndView("requests/detail");
            mv.addObject("r", r);
            mv.addObject("b", validator.mapper().treeToValue(body, EvidenceRequest.class));
            mv.addObject("pretty", validator.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(body));
            mv.addObject("identifiers", identifiers);
            mv.addObject("documents", identifiers ? documents.list(uuid) : List.of());
            mv.addObject("agency", r.agencyId() == null ? null : agencies.find(r.agencyId()).orElse(null));
            mv.addObject("callbackNumbers", r.agencyId() == null ? null : agencies.callbackNumbers(r.agencyId()));
            Map<String, Object> parts = parts(List.of(r)).get(uuid);
            mv.addAllObjects(identifiers ? parts : withheld(parts, Redaction.identifiers(stored)));
            return mv;
        }).orElseGet(RequestPages::notFound);
    }

    /** What the other modules add to each of these requests, by request id and then by name. */
    private Map<UUID, Map<String, Object>> parts(List<ReceivedRequest> requests) {
        Map<UUID, Map<String, Object>> parts = new HashMap<>();
        requests.forEach(r -> parts.put(r.id(), new HashMap<>()));
        for (RequestExtension e : extensions) {
            e.forRequests(requests).forEach((id, part) -> parts.get(id).put(e.name(), part));
        }
        return parts;
    }

    /**
     * The parts with every identifier withheld: each goes through its JSON form; a part that cannot is left out
     * rather than shown with identifiers.
     */
    private Map<String, Object> withheld(Map<String, Object> parts, List<String> ids) {
        Map<String, Object> out = new HashMap<>();
        parts.forEach((name, part) -> {
            try {
                JsonNode tree = validator.mapper().valueToTree(part);
                JsonNode scrubbed = Redaction.scrub(tree, ids);
                out.put(name, scrubbed.equals(tree) ? part : validator.mapper().treeToValue(scrubbed, part.getClass()));
            } catch (RuntimeException e) {
                log.warn("Request part '{}' left out of a page without identifiers: {}", name, e.getClass().getSimpleName());
            }
        });
        return out;
    }

    private static ModelAndView notFound() {
        ModelAndView mv = new ModelAndView("not-found");
        mv.setStatus(HttpStatus.NOT_FOUND);
        return mv;
    }

    private static RequestQuery.Sort sort(String s) {
        try {
            return s == null || s.isBlank() ? RequestQuery.Sort.NEWEST : RequestQuery.Sort.valueOf(s);
        } catch (IllegalArgumentException e) {
            return RequestQuery.Sort.NEWEST;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String known(String value, List<String> allowed) {
        return value != null && allowed.contains(value) ? value : null;
    }

    private static LocalDate date(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(s.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

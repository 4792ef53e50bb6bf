package org.habeas.portal;

import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.accounts.Agencies;
import org.habeas.accounts.Agency;
import org.habeas.accounts.Caller;
import org.habeas.intake.Documents;
import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.FieldError;
import org.habeas.intake.Intake;
import org.habeas.intake.Page;
import org.habeas.intake.ReceivedRequest;
import org.habeas.intake.RequestExtension;
import org.habeas.intake.RequestQuery;
import org.habeas.intake.RequestRejected;
import org.habeas.intake.Sender;
import org.habeas.safeguards.Assessment;
import org.habeas.safeguards.Profile;
import org.habeas.safeguards.Safeguards;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.ModelAndView;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The requester portal. Every page works for the signed-in officer's own agency only; another agency's request
 * is "not found". Submissions through the portal carry no signature: an emergency filed here is confirmed by a
 * call-back like any unsigned request, because a compromised officer account is exactly how forged emergency
 * requests are sent.
 */
@Controller
@org.habeas.web.Pages
class PortalPages {

    private static final int PAGE_SIZE = 25;

    private final Intake intake;
    private final Documents documents;
    private final Agencies agencies;
    private final Safeguards engine;
    private final Profile profile;
    private final List<RequestExtension> extensions;
    private final JsonMapper json;
    private final Clock clock;

    private final long maxDocumentBytes;

    PortalPages(Intake intake, Documents documents, Agencies agencies, Safeguards engine, Profile profile,
            List<RequestExtension> extensions, JsonMapper json, Clock clock,
            @org.springframework.beans.factory.annotation.Value("${habeas.intake.max-document-bytes}") long maxDocumentBytes) {
        this.maxDocumentBytes = maxDocumentBytes;
        this.intake = intake;
        this.documents = documents;
        this.agencies = agencies;
        this.engine = engine;
        this.profile = profile;
        this.extensions = extensions;
        this.json = json;
        this.clock = clock;
    }

    @ModelAttribute("agency")
    Agency agency() {
        return Caller.current().map(Caller::agencyId).flatMap(agencies::find).orElse(null);
    }

    @GetMapping("/portal")
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        Caller caller = Caller.require();
        RequestQuery q = new RequestQuery(null, null, null, null, null, null, Math.max(0, Math.min(page, 100_000)),
                PAGE_SIZE, caller.agencyId());
        Page<ReceivedRequest> result = intake.list(q);
        model.addAttribute("result", result);
        Map<UUID, Map<String, Object>> parts = new HashMap<>();
        result.items().forEach(r -> parts.put(r.id(), parts(r.id())));
        model.addAttribute("parts", parts);
        return "portal/list";
    }

    @GetMapping("/portal/new")
    String form(Model model) {
        model.addAttribute("form", new RequestForm());
        model.addAttribute("formKey", UUID.randomUUID().toString());
        addChoices(model);
        return "portal/form";
    }

    /** The live pre-check: the form as Request v1, validated and assessed, nothing stored. */
    @PostMapping("/portal/precheck")
    String precheck(@ModelAttribute("form") RequestForm form, Model model) {
        Agency agency = agency();
        byte[] body = json.writeValueAsBytes(form.toRequest(json, agency));
        try {
            EvidenceRequest r = intake.parse(body);
            Assessment a = engine.assess(r, profile, clock.instant());
            model.addAttribute("assessment", a.forRequester());
        } catch (RequestRejected e) {
            model.addAttribute("errors", errors(e));
        }
        return "portal/form :: precheck";
    }

    @PostMapping("/portal/new")
    ModelAndView submit(@ModelAttribute("form") RequestForm form, @RequestParam(required = false) String formKey,
            @RequestParam(name = "order", required = false) MultipartFile order) throws IOException {
        Caller caller = Caller.require();
        Agency agency = agency();
        byte[] body = json.writeValueAsBytes(form.toRequest(json, agency));
        byte[] file = order == null || order.isEmpty() ? null : order.getBytes();
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            intake.parse(body);
        } catch (RequestRejected e) {
            errors.putAll(errors(e));
        }
        if (file != null) {
            try {
                documents.check(file);
            } catch (Documents.Refused e) {
                errors.put("order", e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            ModelAndView mv = new ModelAndView("portal/form");
            mv.addObject("form", form);
            mv.addObject("formKey", formKey == null ? UUID.randomUUID().toString() : formKey);
            mv.addObject("errors", errors);
            mv.addObject("agency", agency);
            addChoices(mv.getModel());
            mv.setStatus(HttpStatus.UNPROCESSABLE_CONTENT);
            return mv;
        }
        String key = formKey == null || !formKey.matches("[0-9a-f-]{36}") ? null : "portal:" + formKey;
        Intake.Receipt receipt = intake.receive(body, key,
                new Sender(agency.id(), caller.name(), "UNSIGNED", null, null, null, caller.role().name()));
        UUID id = receipt.request().id();
        if (file != null && !receipt.replayed()) {
            documents.attach(id, order.getOriginalFilename(), order.getContentType(), file);
        }
        return new ModelAndView("redirect:/portal/requests/" + id + "?sent");
    }

    @GetMapping("/portal/requests/{id}")
    ModelAndView detail(@PathVariable String id) {
        Caller caller = Caller.require();
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return notFound();
        }
        return intake.find(uuid).filter(r -> caller.maySeeRequestOf(r.agencyId())).map(r -> {
            ModelAndView mv = new ModelAndView("portal/detail");
            mv.addObject("r", r);
            mv.addObject("b", json.readValue(r.body(), EvidenceRequest.class));
            mv.addObject("documents", documents.list(uuid));
            mv.addAllObjects(parts(uuid));
            return mv;
        }).orElseGet(PortalPages::notFound);
    }

    private Map<String, Object> parts(UUID id) {
        Map<String, Object> parts = new HashMap<>();
        extensions.forEach(e -> e.forRequest(id).ifPresent(part -> parts.put(e.name(), part)));
        return parts;
    }

    private void addChoices(Map<String, Object> model) {
        // the order's size limit, for the form to refuse a larger file before sending anything
        model.put("maxDocumentBytes", maxDocumentBytes);
        model.put("maxDocumentSize", maxDocumentBytes >= 1024 * 1024 && maxDocumentBytes % (1024 * 1024) == 0
                ? maxDocumentBytes / (1024 * 1024) + " MB" : maxDocumentBytes >= 1024 && maxDocumentBytes % 1024 == 0
                ? maxDocumentBytes / 1024 + " KB" : maxDocumentBytes + " B");
        model.put("instruments", intake.allowedValues("instrument"));
        model.put("measures", intake.allowedValues("measure"));
        model.put("categories", List.of("SUBSCRIBER", "IDENTIFICATION", "TRAFFIC", "CONTENT"));
        model.put("targetTypes", List.of("ACCOUNT", "EMAIL", "PHONE", "IP", "DEVICE", "DOMAIN", "OTHER"));
        model.put("authorizationKinds", List.of("JUDICIAL", "PROSECUTORIAL", "ADMINISTRATIVE", "NONE"));
        model.put("threats", List.of("LIFE", "SERIOUS_INJURY", "OTHER"));
        model.put("rows", java.util.stream.IntStream.range(0, RequestForm.TARGET_ROWS).boxed().toList());
    }

    private void addChoices(Model model) {
        Map<String, Object> m = new HashMap<>();
        addChoices(m);
        model.addAllAttributes(m);
    }

    /** The validator's problems by form field (the first problem of each field). */
    private static Map<String, String> errors(RequestRejected e) {
        Map<String, String> out = new LinkedHashMap<>();
        if (e.errors().isEmpty()) {
            out.put("form", e.getMessage());
        }
        for (FieldError f : e.errors()) {
            out.putIfAbsent(RequestForm.field(f.pointer()), f.detail());
        }
        return out;
    }

    private static ModelAndView notFound() {
        ModelAndView mv = new ModelAndView("not-found");
        mv.setStatus(HttpStatus.NOT_FOUND);
        return mv;
    }
}

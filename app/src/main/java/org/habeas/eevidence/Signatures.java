package org.habeas.eevidence;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import javax.xml.crypto.AlgorithmMethod;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.KeySelectorException;
import javax.xml.crypto.KeySelectorResult;
import javax.xml.crypto.MarshalException;
import javax.xml.crypto.XMLCryptoContext;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureException;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.X509Data;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The XML signature of a message (an enveloped {@code ds:Signature} after the Payload, as in TS 103 120's signed
 * example), checked with the JDK's XML-DSig in secure-validation mode. TS 104 144's signing rules are unknown, so
 * whether a state's messages must be signed, and whose signatures count, is configuration per member state
 * ({@code require-signature}, {@code signers}). A signature must cover the whole message ({@code URI=""}) and
 * verify with the certificate in its KeyInfo; when the state has signers configured, that certificate must be one
 * of them or issued by one. The result is kept with the request, as for signed JSON requests.
 */
final class Signatures {

    /** The check's result: VERIFIED, UNSIGNED or UNKNOWN_KEY (verified, but no signer is configured), and who signed. */
    record Checked(String verification, String signer) {
    }

    private final Map<String, List<X509Certificate>> signers;
    private final Map<String, Boolean> required;

    Signatures(Map<String, EevidenceProperties.MemberState> states) {
        this.signers = new java.util.HashMap<>();
        this.required = new java.util.HashMap<>();
        states.forEach((state, ms) -> {
            List<X509Certificate> certs = new ArrayList<>();
            ms.signers().forEach(p -> certs.addAll(MemberStates.read(p)));
            if (ms.requireSignature() && certs.isEmpty()) {
                throw new IllegalStateException("habeas.eevidence.member-states." + state + ".require-signature needs "
                        + "the signers whose signatures count (habeas.eevidence.member-states." + state + ".signers)");
            }
            signers.put(state, List.copyOf(certs));
            required.put(state, ms.requireSignature());
        });
    }

    /** The certificates whose signatures count for a state, or their issuers; empty when none is configured. */
    List<X509Certificate> signers(String state) {
        return signers.getOrDefault(state, List.of());
    }

    /**
     * @throws Hi1Fault 3005 when the state requires a signature and there is none; 3007 when the signature does not
     *                  cover the message, does not verify, or is not a configured signer's
     */
    Checked check(Document doc, String state) {
        Element root = doc.getDocumentElement();
        List<Element> found = Hi1.children(root, XMLSignature.XMLNS, "Signature");
        if (found.isEmpty()) {
            if (required.getOrDefault(state, false)) {
                throw Hi1Fault.message(Hi1Fault.REQUIRED_MISSING, "ds:Signature is missing: this receiver takes "
                        + "messages from " + state + " signed only.");
            }
            return new Checked("UNSIGNED", null);
        }
        if (found.size() > 1) {
            throw Hi1Fault.message(Hi1Fault.IMPROPER_VALUE, "The message carries more than one ds:Signature.");
        }
        X509Certificate[] signer = new X509Certificate[1];
        KeySelector keys = new KeySelector() {
            @Override
            public KeySelectorResult select(KeyInfo info, Purpose purpose, AlgorithmMethod method,
                    XMLCryptoContext context) throws KeySelectorException {
                if (info != null) {
                    for (Object o : info.getContent()) {
                        if (o instanceof X509Data data) {
                            for (Object c : data.getContent()) {
                                if (c instanceof X509Certificate cert) {
                                    signer[0] = cert;
                                    Key key = cert.getPublicKey();
                                    return () -> key;
                                }
                            }
                        }
                    }
                }
                throw new KeySelectorException("ds:KeyInfo carries no X.509 certificate");
            }
        };
        boolean valid;
        try {
            DOMValidateContext context = new DOMValidateContext(keys, found.getFirst());
            context.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
            XMLSignature signature = XMLSignatureFactory.getInstance("DOM").unmarshalXMLSignature(context);
            List<?> references = signature.getSignedInfo().getReferences();
            if (references.size() != 1 || !"".equals(((Reference) references.getFirst()).getURI())) {
                throw Hi1Fault.message(Hi1Fault.IMPROPER_VALUE, "ds:Signature must sign the whole message: one "
                        + "ds:Reference with URI=\"\" and the enveloped-signature transform.");
            }
            valid = signature.validate(context);
        } catch (MarshalException | XMLSignatureException e) {
            throw Hi1Fault.message(Hi1Fault.IMPROPER_VALUE, "ds:Signature cannot be verified: "
                    + Hi1.brief(String.valueOf(e.getMessage())));
        }
        if (!valid) {
            throw Hi1Fault.message(Hi1Fault.IMPROPER_VALUE, "ds:Signature does not verify: the message is not the one "
                    + "that was signed.");
        }
        X509Certificate cert = signer[0];
        String who = cert.getSubjectX500Principal().getName();
        who = who.length() > 150 ? who.substring(0, 150) : who;
        List<X509Certificate> trusted = signers.getOrDefault(state, List.of());
        if (trusted.isEmpty()) {
            return new Checked("UNKNOWN_KEY", who);
        }
        try {
            cert.checkValidity(new Date());
        } catch (GeneralSecurityException e) {
            throw Hi1Fault.message(Hi1Fault.IMPROPER_VALUE, "ds:Signature: the signing certificate " + who
                    + " is not valid today.");
        }
        for (X509Certificate t : trusted) {
            if (t.equals(cert) || issued(t, cert)) {
                return new Checked("VERIFIED", who);
            }
        }
        throw Hi1Fault.message(Hi1Fault.IMPROPER_VALUE, "ds:Signature: the signing certificate " + who + " is not "
                + "one of the signers configured for " + state + " nor issued by one.");
    }

    static boolean issued(X509Certificate issuer, X509Certificate cert) {
        if (!issuer.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
            return false;
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

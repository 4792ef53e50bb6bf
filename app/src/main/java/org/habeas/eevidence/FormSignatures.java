package org.habeas.eevidence;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The signature of a signed form PDF (an EPOC or EPOC-PR arriving as a DocumentObject): a PAdES / PDF signature,
 * whose CMS SignedData sits in the signature dictionary's {@code Contents} over the {@code ByteRange}. PDFBox reads
 * the dictionary and the signed bytes, BouncyCastle verifies the SignedData (the content digest and the signature
 * over the signed attributes) with the certificate it carries; that certificate must be one of the member state's
 * configured signers or issued by one, as for XML signatures. TS 104 144's rule for signing the forms is unknown,
 * so an unsigned or invalid form does not stop the order: the result is kept with the request and shown on its
 * case, for staff to weigh.
 */
final class FormSignatures {

    /** VALID, INVALID, UNSIGNED, or UNKNOWN_KEY (verifies, but the state has no signers configured). */
    enum Status {
        VALID, INVALID, UNSIGNED, UNKNOWN_KEY
    }

    /** The check's result: who signed (the certificate's subject) and when, if the signature says, and why not. */
    record Result(Status status, String signer, Instant signedAt, String detail) {
    }

    private FormSignatures() {
    }

    /** Checks the last signature of the PDF (the one covering the whole file) against the state's signers. */
    static Result check(byte[] pdf, List<X509Certificate> signers) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            List<PDSignature> signatures = doc.getSignatureDictionaries();
            if (signatures.isEmpty()) {
                return new Result(Status.UNSIGNED, null, null, "The form carries no signature.");
            }
            PDSignature sig = signatures.getLast();
            Instant claimed = sig.getSignDate() == null ? null : sig.getSignDate().toInstant();
            int[] range = sig.getByteRange();
            if (range == null || range.length != 4 || range[0] != 0 || range[1] < 0 || range[2] < range[1]
                    || range[3] < 0 || (long) range[2] + range[3] != pdf.length) {
                return new Result(Status.INVALID, null, claimed, "The signature does not cover the whole document "
                        + "(byte range " + java.util.Arrays.toString(range) + " of " + pdf.length + " bytes).");
            }
            byte[] contents = sig.getContents(pdf);
            byte[] signed = sig.getSignedContent(pdf);
            return verify(contents, signed, signers, claimed);
        } catch (IOException | RuntimeException e) {
            // a PDF that cannot be read has no signature to check, unless it looks as if it had one
            boolean looksSigned = new String(pdf, java.nio.charset.StandardCharsets.ISO_8859_1).contains("/ByteRange");
            return new Result(looksSigned ? Status.INVALID : Status.UNSIGNED, null, null, "The form cannot be read as "
                    + "a PDF: " + Hi1.brief(String.valueOf(e.getMessage())));
        }
    }

    private static Result verify(byte[] contents, byte[] signed, List<X509Certificate> signers, Instant claimed) {
        CMSSignedData cms;
        try {
            // Contents is padded with zeros to its reserved size: read the one DER object at its start
            org.bouncycastle.asn1.ASN1Primitive der;
            try (org.bouncycastle.asn1.ASN1InputStream in = new org.bouncycastle.asn1.ASN1InputStream(contents)) {
                der = in.readObject();
            }
            cms = new CMSSignedData(new CMSProcessableByteArray(signed),
                    org.bouncycastle.asn1.cms.ContentInfo.getInstance(der));
        } catch (CMSException | IOException | RuntimeException e) {
            return new Result(Status.INVALID, null, claimed, "The signature is not a CMS SignedData: "
                    + Hi1.brief(String.valueOf(e.getMessage())));
        }
        Collection<SignerInformation> infos = cms.getSignerInfos().getSigners();
        if (infos.size() != 1) {
            return new Result(Status.INVALID, null, claimed, "The signature has " + infos.size() + " signers, not one.");
        }
        SignerInformation info = infos.iterator().next();
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = cms.getCertificates().getMatches(info.getSID());
        if (matches.isEmpty()) {
            return new Result(Status.INVALID, null, claimed, "The signature does not carry its signer's certificate.");
        }
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
        } catch (GeneralSecurityException e) {
            return new Result(Status.INVALID, null, claimed, "The signer's certificate cannot be read.");
        }
        String who = cert.getSubjectX500Principal().getName();
        who = who.length() > 300 ? who.substring(0, 300) : who;
        Instant at = signingTime(info);
        Instant when = at != null ? at : claimed;
        try {
            if (!info.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert))) {
                return new Result(Status.INVALID, who, when, "The signature does not verify.");
            }
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            // a changed byte inside the signed range ends here: the content digest no longer matches
            return new Result(Status.INVALID, who, when, "The signature does not verify: "
                    + Hi1.brief(String.valueOf(e.getMessage())));
        }
        try {
            cert.checkValidity(Date.from(when != null ? when : Instant.now()));
        } catch (GeneralSecurityException e) {
            return new Result(Status.INVALID, who, when, "The signer's certificate was not valid when it signed.");
        }
        if (signers.isEmpty()) {
            return new Result(Status.UNKNOWN_KEY, who, when, "The signature verifies; no signers are configured for "
                    + "this member state.");
        }
        for (X509Certificate t : signers) {
            if (t.equals(cert) || Signatures.issued(t, cert)) {
                return new Result(Status.VALID, who, when, "The signature verifies with a signer of the member state.");
            }
        }
        return new Result(Status.INVALID, who, when, "The signer's certificate is neither one of the member state's "
                + "signers nor issued by one.");
    }

    private static Instant signingTime(SignerInformation info) {
        if (info.getSignedAttributes() == null) {
            return null;
        }
        Attribute a = info.getSignedAttributes().get(CMSAttributes.signingTime);
        if (a == null || a.getAttrValues().size() != 1) {
            return null;
        }
        try {
            Object v = a.getAttrValues().getObjectAt(0);
            return v instanceof ASN1UTCTime u ? u.getAdjustedDate().toInstant() : Time.getInstance(v).getDate()
                    .toInstant();
        } catch (Exception e) {
            return null;
        }
    }
}

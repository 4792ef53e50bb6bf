package org.habeas.eevidence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Calendar;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** Form PDFs made in the test: unsigned, signed (a detached CMS in the signature dictionary), and tampered. */
final class SignedPdfs {

    private SignedPdfs() {
    }

    static byte[] unsigned(String text) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.addPage(new PDPage());
            doc.getDocumentInformation().setTitle(text);
            doc.save(out, org.apache.pdfbox.pdfwriter.compress.CompressParameters.NO_COMPRESSION);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The form signed by this key and certificate, as an issuing authority's signing tool would. */
    static byte[] signed(String text, TestPki.Issued signer) {
        try (PDDocument doc = Loader.loadPDF(unsigned(text)); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDSignature sig = new PDSignature();
            sig.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            sig.setSubFilter(PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED);
            sig.setName(signer.certificate().getSubjectX500Principal().getName());
            sig.setSignDate(Calendar.getInstance());
            doc.addSignature(sig, content -> {
                try {
                    CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
                    gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                            .build()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.keys()
                                    .getPrivate()), signer.certificate()));
                    gen.addCertificates(new JcaCertStore(List.of(signer.certificate())));
                    return gen.generate(new CMSProcessableByteArray(content.readAllBytes()), false).getEncoded();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            });
            doc.saveIncremental(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The signed form with one byte inside the signed range changed (in its title, before the signature). */
    static byte[] tampered(byte[] signed, String text) {
        byte[] out = signed.clone();
        String s = new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
        int i = s.indexOf(text);
        if (i < 0) {
            throw new IllegalStateException("the title is not in the PDF");
        }
        out[i] = (byte) (out[i] == 'X' ? 'Y' : 'X');
        return out;
    }
}

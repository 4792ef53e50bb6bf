package org.habeas.eevidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Signed form PDFs: verified against the member state's signers, tampered ones found out, unsigned ones said so. */
class FormSignaturesTest {

    static final TestPki.Issued STATE_CA = TestPki.ca("DE issuing authorities CA");
    static final TestPki.Issued PROSECUTOR = TestPki.issue(STATE_CA, "Staatsanwaltschaft Beispielstadt", null);
    static final TestPki.Issued OTHER_CA = TestPki.ca("Some other CA");

    @Test
    void aFormSignedByAnIssuerOfTheStatesSignersIsValidWithItsSignerAndTime() {
        byte[] pdf = SignedPdfs.signed("EPOC Form 1 test", PROSECUTOR);
        FormSignatures.Result r = FormSignatures.check(pdf, List.of(STATE_CA.certificate()));
        assertThat(r.status()).as(r.detail()).isEqualTo(FormSignatures.Status.VALID);
        assertThat(r.signer()).isEqualTo("CN=Staatsanwaltschaft Beispielstadt");
        assertThat(r.signedAt()).isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
    }

    @Test
    void aByteChangedInsideTheSignedRangeMakesItInvalid() {
        byte[] pdf = SignedPdfs.signed("EPOC Form 1 test", PROSECUTOR);
        FormSignatures.Result r = FormSignatures.check(SignedPdfs.tampered(pdf, "EPOC Form 1 test"),
                List.of(STATE_CA.certificate()));
        assertThat(r.status()).isEqualTo(FormSignatures.Status.INVALID);
        assertThat(r.detail()).contains("does not verify");
        assertThat(r.signer()).isEqualTo("CN=Staatsanwaltschaft Beispielstadt");
    }

    @Test
    void aSignerTheStateDidNotConfigureIsInvalidAndWithoutSignersTheKeyIsUnknown() {
        byte[] pdf = SignedPdfs.signed("EPOC Form 1 test", PROSECUTOR);
        FormSignatures.Result other = FormSignatures.check(pdf, List.of(OTHER_CA.certificate()));
        assertThat(other.status()).isEqualTo(FormSignatures.Status.INVALID);
        assertThat(other.detail()).contains("neither one of the member state's signers");
        assertThat(FormSignatures.check(pdf, List.of()).status()).isEqualTo(FormSignatures.Status.UNKNOWN_KEY);
    }

    @Test
    void anUnsignedFormIsUnsignedAndBytesThatAreNoPdfAreNoCrash() {
        assertThat(FormSignatures.check(SignedPdfs.unsigned("EPOC Form 1 test"), List.of(STATE_CA.certificate()))
                .status()).isEqualTo(FormSignatures.Status.UNSIGNED);
        FormSignatures.Result junk = FormSignatures.check("not a pdf".getBytes(), List.of(STATE_CA.certificate()));
        assertThat(junk.status()).isEqualTo(FormSignatures.Status.UNSIGNED);
        assertThat(junk.detail()).contains("cannot be read");
    }

    @Test
    void bytesAppendedAfterTheSignatureAreOutsideItsRangeAndInvalid() {
        byte[] pdf = SignedPdfs.signed("EPOC Form 1 test", PROSECUTOR);
        byte[] longer = java.util.Arrays.copyOf(pdf, pdf.length + 9);
        System.arraycopy("\n% added\n".getBytes(), 0, longer, pdf.length, 9);
        FormSignatures.Result r = FormSignatures.check(longer, List.of(STATE_CA.certificate()));
        assertThat(r.status()).isEqualTo(FormSignatures.Status.INVALID);
        assertThat(r.detail()).contains("does not cover the whole document");
    }
}

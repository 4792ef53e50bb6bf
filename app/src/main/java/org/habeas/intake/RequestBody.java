package org.habeas.intake;

import java.io.IOException;
import java.io.InputStream;

import org.habeas.web.ApiProblem;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Reads a Request v1 body from an API call, never more than {@code habeas.intake.max-request-bytes}: a larger
 * body is refused with 413, from its Content-Length if it declares one, before it is read.
 */
@Component
public class RequestBody {

    private final int maxBytes;

    RequestBody(@Value("${habeas.intake.max-request-bytes}") int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public byte[] read(InputStream in, Long contentLength) throws IOException {
        if (contentLength != null && contentLength > maxBytes) {
            throw tooLarge();
        }
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw tooLarge();
        }
        return bytes;
    }

    private ApiProblem tooLarge() {
        return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "Request body too large",
                "A Request v1 document may be at most " + maxBytes + " bytes; attach documents separately.");
    }
}

package pk.gov.bisp.nser.server.update;

import java.util.List;
import pk.gov.bisp.nser.core.json.FieldError;
import pk.gov.bisp.nser.server.http.Problem;

/** The problem+json answers of updates, as {@link Outcome}s; 422 lists every bad field. */
final class UpdateProblems {

    private UpdateProblems() {
    }

    static Outcome of(int status, String slug, String title, String detail) {
        return new Outcome(status, Problem.CONTENT_TYPE, Problem.body(status, slug, title, detail).getBytes(), -1,
                false);
    }

    static Outcome unavailable(String detail) {
        return of(503, "updates-unavailable", "Service unavailable", detail);
    }

    /** 412, carrying the current version (sent as the ETag). */
    static Outcome stale(long current) {
        Outcome o = of(412, "version-mismatch", "Precondition failed", "the household is at version " + current
                + " (ETag \"" + current + "\"), not the one in If-Match; read it again and retry");
        return new Outcome(o.status(), o.contentType(), o.body(), current, false);
    }

    /** 422 with one entry per bad field. */
    static Outcome invalid(List<FieldError> errors) {
        String detail = errors.size() + (errors.size() == 1 ? " field is" : " fields are") + " invalid: "
                + errors.get(0);
        return new Outcome(422, Problem.CONTENT_TYPE,
                Problem.invalidFields("Unprocessable update", detail, errors).getBytes(), -1, false);
    }
}

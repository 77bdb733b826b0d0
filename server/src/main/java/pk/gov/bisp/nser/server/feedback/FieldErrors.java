package pk.gov.bisp.nser.server.feedback;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.core.json.FieldError;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.Problem;

/**
 * The invalid fields of a request, one entry per field, answered as one 422 problem of the same type as an
 * update's ({@code invalid-fields}) with an {@code errors} list
 * ({@code [{"field": "purchases[3].items[0].quantity", "detail": "..."}]}). At most {@link #MAX_LISTED} are
 * listed; the detail says how many there were.
 */
public final class FieldErrors {

    static final int MAX_LISTED = 100;

    private final List<FieldError> listed = new ArrayList<>();
    private final String title;
    private int count;

    FieldErrors() {
        this("Invalid purchases");
    }

    /** @param title the problem's title ({@code Invalid enrolments}) */
    public FieldErrors(String title) {
        this.title = title;
    }

    public void add(String field, String detail) {
        count++;
        if (listed.size() < MAX_LISTED) {
            listed.add(new FieldError(field, detail));
        }
    }

    public boolean isEmpty() {
        return count == 0;
    }

    int count() {
        return count;
    }

    public void send(RoutingContext ctx) {
        String detail = (count == 1 ? "1 field is" : count + " fields are") + " invalid, so nothing was stored"
                + (count > MAX_LISTED ? "; the first " + MAX_LISTED + " are listed" : "");
        Exchange.end(ctx, 422, Problem.CONTENT_TYPE, Problem.invalidFields(title, detail, listed));
    }
}

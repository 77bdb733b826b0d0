package pk.gov.bisp.nser.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.journal.JournalFullException;

/**
 * What every route that journals a posted batch (purchase feedback, the partner exchange) answers alike: the body
 * read as one JSON object, 201 with the count accepted and the batch's journal sequence (a replay says so), 422 for
 * an Idempotency-Key reused with another request, 413 for a batch larger than the journal takes, and 503 when the
 * journal could not take it (nothing stored).
 */
public final class BatchReplies {

    private BatchReplies() {
    }

    /** The body as a JSON object, or null after a 400 saying what was {@code expected}. */
    public static JsonNode object(RoutingContext ctx, ObjectMapper mapper, String expected) {
        Buffer b = ctx.body().buffer();
        JsonNode root;
        try {
            root = mapper.readTree(b == null ? new byte[0] : b.getBytes());
        } catch (IOException | IllegalArgumentException e) { // a number BigDecimal refuses is a NumberFormatException
            Problem.badRequest(ctx, "invalid-json", "the body is not valid JSON: " + Problem.printable(
                    e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("")));
            return null;
        }
        if (root == null || !root.isObject()) {
            Problem.badRequest(ctx, "invalid-body", "expected a JSON object: " + expected);
            return null;
        }
        return root;
    }

    /** 201: {@code {"accepted": count, "batch_sequence": sequence}}, with {@code Idempotency-Replayed} on a replay. */
    public static void accepted(RoutingContext ctx, JsonResponse json, long sequence, int count, boolean replayed) {
        if (replayed) {
            ctx.response().putHeader(IdempotencyKey.REPLAYED, "true");
        }
        json.send(ctx, 201, g -> {
            g.writeStartObject();
            g.writeNumberField("accepted", count);
            g.writeNumberField("batch_sequence", sequence);
            g.writeEndObject();
        });
    }

    /** 422: the request's Idempotency-Key was used before with other {@code items}. */
    public static void reused(RoutingContext ctx, String title, String items) {
        Problem.send(ctx, 422, "idempotency-key-reused", title, "this Idempotency-Key was already used with a "
                + "different request; use a new key for new " + items);
    }

    /** 413: the batch is larger than one journal record takes ({@code e} says how large). */
    public static void tooLarge(RoutingContext ctx, IllegalArgumentException e, String items) {
        Problem.send(ctx, 413, "batch-too-large-to-store", "Payload too large", e.getMessage()
                + "; send fewer " + items + " per request");
    }

    /**
     * 503 with Retry-After: the journal could not take the batch, so nothing was recorded. A full journal queue is
     * {@code KIND-journal-busy}; a failed journal {@code KIND-journal-unavailable}, logged.
     *
     * @param kind    the journal's kind in the problem type: {@code feedback}, {@code exchange}
     * @param journal the journal's name in the detail: {@code purchase journal}
     * @param items   what was posted: {@code purchases}
     */
    public static void journalRefused(RoutingContext ctx, Throwable t, Logger log, String kind, String journal,
                                      String items) {
        boolean busy = t instanceof JournalFullException;
        if (!busy) {
            log.log(Level.SEVERE, "a batch of " + items + " could not be journaled: " + t, t);
        }
        ctx.response().putHeader("Retry-After", busy ? "1" : "5");
        Problem.send(ctx, 503, kind + (busy ? "-journal-busy" : "-journal-unavailable"), "Service unavailable",
                "the " + items + " could not be stored (" + (busy ? "too many waiting" : "the " + journal + " failed")
                        + "), so nothing was recorded; send them again");
    }
}

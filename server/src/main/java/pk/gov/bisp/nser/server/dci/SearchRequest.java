package pk.gov.bisp.nser.server.dci;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A search request as the answer needs it: what its header and message say back ({@code sender_id},
 * {@code sender_uri}, {@code transaction_id}) and its items read. Made by the tree reader ({@link #of}, after every
 * check of {@code DciRoutes}) or, for a request in the common shape, by the streaming parser ({@link #streamed}: no
 * tree, the fields read as the tokens pass).
 *
 * @param senderId the header's {@code sender_id} when it is a string (the answer's {@code receiver_id}), else null
 * @param senderUri the header's {@code sender_uri} ({@code ""} when absent)
 * @param transactionId the message's {@code transaction_id} ({@code ""} when absent)
 * @param items the {@code search_request} items, each read (or refused) by {@link SearchItem}
 */
record SearchRequest(String senderId, String senderUri, String transactionId, List<SearchItem> items) {

    /** The header's fields that {@link #streamed} reads, each once; and the body's and the message's. */
    private static final int MESSAGE_ID = 1;
    private static final int VERSION = 1 << 1;
    private static final int MESSAGE_TS = 1 << 2;
    private static final int ACTION = 1 << 3;
    private static final int ENCRYPTED = 1 << 4;
    private static final int TOTAL_COUNT = 1 << 5;
    private static final int SENDER_ID = 1 << 6;
    private static final int SENDER_URI = 1 << 7;
    private static final int HEADER = 1 << 8;
    private static final int MESSAGE = 1 << 9;
    private static final int TRANSACTION_ID = 1 << 10;
    private static final int ITEMS = 1 << 11;
    private static final int REQUIRED = MESSAGE_ID | MESSAGE_TS | ACTION | HEADER | MESSAGE | ITEMS;

    /** The request from the tree reader's header and message, its items read. */
    static SearchRequest of(JsonNode header, JsonNode message, List<SearchItem> items) {
        JsonNode sender = header.path("sender_id");
        JsonNode txn = message.path("transaction_id");
        return new SearchRequest(sender.isTextual() ? sender.asText() : null, header.path("sender_uri").asText(""),
                txn.isValueNode() && !txn.isNull() ? DciRoutes.limit(txn.asText()) : "", items);
    }

    /** The streamed read's state: the names seen, and the values kept. */
    private static final class Read extends StreamedFields.Seen {
        String senderId;
        String senderUri = "";
        String transactionId = "";
        int totalCount = -1;
        final List<SearchItem> items = new ArrayList<>(1);
    }

    /**
     * The search request {@code body} read by the streaming parser, when it is a well-formed DCI search message in
     * the common shape that the tree reader would take without a refusal of the request or of any item: a header
     * whose {@code message_id}, {@code message_ts}, {@code action} ({@code "search"}), {@code version}
     * ({@code "1.0.0"} or absent), {@code sender_id} and {@code sender_uri} are strings, {@code is_msg_encrypted}
     * false or absent, {@code total_count} null, absent or the items' count; a message object with a
     * {@code transaction_id} string of at most 99 characters (or none) and 1 to {@code maxBatch} items that
     * {@link SearchItem#streamed} takes; no name twice in an object, nothing after the body. Null for anything else
     * (any doubt): the caller reads it with the tree reader, whose checks and messages answer it. Names not read
     * are skipped, as the tree reader ignores them.
     */
    static SearchRequest streamed(byte[] body, int maxBatch, Criteria criteria, int defaultPage, long maxPage) {
        try (JsonParser p = DciRoutes.MAPPER.createParser(body)) {
            Read r = new Read();
            if (p.nextToken() != JsonToken.START_OBJECT || !body(p, r, maxBatch, criteria, defaultPage, maxPage)
                    || p.nextToken() != null || (r.seen & REQUIRED) != REQUIRED
                    || r.totalCount >= 0 && r.totalCount != r.items.size()) {
                return null;
            }
            return new SearchRequest(r.senderId, r.senderUri, r.transactionId, r.items);
        } catch (IOException e) { // not JSON, or past a limit: the tree reader says which
            return null;
        }
    }

    private static boolean body(JsonParser p, Read r, int maxBatch, Criteria criteria, int defaultPage,
                                long maxPage) throws IOException {
        return StreamedFields.each(p, (name, t) -> switch (name) {
                case "header" -> r.first(HEADER) && t == JsonToken.START_OBJECT && header(p, r);
                case "message" -> r.first(MESSAGE) && t == JsonToken.START_OBJECT
                        && message(p, r, maxBatch, criteria, defaultPage, maxPage);
                default -> StreamedFields.skip(p); // signature, and anything the tree reader ignores too
            });
    }

    private static boolean header(JsonParser p, Read r) throws IOException {
        return StreamedFields.each(p, (name, t) -> switch (name) {
                case "message_id" -> r.first(MESSAGE_ID) && t == JsonToken.VALUE_STRING && p.getTextLength() > 0;
                case "version" -> r.first(VERSION) && t == JsonToken.VALUE_STRING
                        && DciRoutes.VERSION.equals(p.getText());
                case "message_ts" -> r.first(MESSAGE_TS) && t == JsonToken.VALUE_STRING
                        && SearchItem.timestamp(p.getText());
                case "action" -> r.first(ACTION) && t == JsonToken.VALUE_STRING && "search".equals(p.getText());
                case "is_msg_encrypted" -> r.first(ENCRYPTED) && t == JsonToken.VALUE_FALSE;
                case "total_count" -> r.first(TOTAL_COUNT) && (t == JsonToken.VALUE_NULL
                        || t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                        && (r.totalCount = p.getIntValue()) >= 0);
                case "sender_id" -> r.first(SENDER_ID) && t == JsonToken.VALUE_STRING
                        && (r.senderId = p.getText()) != null;
                case "sender_uri" -> r.first(SENDER_URI) && t == JsonToken.VALUE_STRING
                        && (r.senderUri = p.getText()) != null;
                default -> StreamedFields.skip(p);
            });
    }

    private static boolean message(JsonParser p, Read r, int maxBatch, Criteria criteria, int defaultPage,
                                   long maxPage) throws IOException {
        return StreamedFields.each(p, (name, t) -> switch (name) {
                case "transaction_id" -> r.first(TRANSACTION_ID) && t == JsonToken.VALUE_STRING
                        && (r.transactionId = p.getText()).length() <= 99;
                case "search_request" -> r.first(ITEMS) && t == JsonToken.START_ARRAY
                        && items(p, r, maxBatch, criteria, defaultPage, maxPage);
                default -> StreamedFields.skip(p);
            });
    }

    private static boolean items(JsonParser p, Read r, int maxBatch, Criteria criteria, int defaultPage,
                                 long maxPage) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            SearchItem item = r.items.size() < maxBatch ? SearchItem.streamed(p, criteria, defaultPage, maxPage)
                    : null;
            if (item == null) {
                return false;
            }
            r.items.add(item);
        }
        return !r.items.isEmpty();
    }
}

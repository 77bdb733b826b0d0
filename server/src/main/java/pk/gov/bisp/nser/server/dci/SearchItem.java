package pk.gov.bisp.nser.server.dci;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pk.gov.bisp.nser.core.text.Printable;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;

/**
 * One {@code search_request} item read: its reference, what it asks ({@link #id} for an {@code idtype-value}
 * query, else {@link #query}), the entity, page and sort, and the consent and authorisation it states; or why it is
 * refused ({@link #rejection}). Reading is lenient where the standard's own examples are (an empty
 * {@code consent}, a {@code response_entity} in another case), strict where an answer would otherwise be wrong.
 */
final class SearchItem {

    /** Sort attributes: the PMT score, and the registry's own order. */
    enum SortKey { NONE, SCORE_ASC, SCORE_DESC, SIZE_ASC, SIZE_DESC, IDENTIFIER }

    String referenceId = "";
    String locale;
    Criteria.Id id;
    Criteria.Node query;
    boolean member;
    int pageSize;
    int pageNumber = 1;
    SortKey sort = SortKey.NONE;
    final List<AccessRecord.Purpose> purposes = new ArrayList<>();
    Rejection rejection;

    /** Results, filled in by the search: the households of the page (ordinals) and how many match in all. */
    int[] page = new int[0];
    long total;

    boolean lookup() {
        return id != null;
    }

    /**
     * Reads {@code item}; {@code defaultPage} is the page size when none is given, {@code maxPage} the largest
     * allowed. A refusal is kept in {@link #rejection}, not thrown.
     */
    static SearchItem read(JsonNode item, Criteria criteria, int defaultPage, long maxPage) {
        SearchItem s = new SearchItem();
        try {
            s.parse(item, criteria, defaultPage, maxPage);
        } catch (Rejection r) {
            s.rejection = r;
        }
        return s;
    }

    private void parse(JsonNode item, Criteria criteria, int defaultPage, long maxPage) {
        if (!item.isObject()) {
            throw new Rejection(Codes.CRITERIA, "each search_request item is an object {reference_id, timestamp, "
                    + "search_criteria}");
        }
        JsonNode ref = item.path("reference_id");
        if (ref.isTextual() || ref.isNumber()) {
            referenceId = ref.asText();
        }
        if (!ref.isTextual() && !ref.isNumber() || referenceId.length() > 99) {
            referenceId = "";
            throw new Rejection(Codes.REFERENCE_ID, "reference_id is required: a string of at most 99 characters");
        }
        JsonNode loc = item.path("locale");
        if (loc.isTextual() && threeLetters(loc.asText())) {
            locale = loc.asText();
        }
        JsonNode ts = item.path("timestamp");
        if (!ts.isTextual() || !timestamp(ts.asText())) {
            throw new Rejection(Codes.TIMESTAMP, "timestamp must be an ISO 8601 date-time with its offset, e.g. "
                    + "2022-12-04T17:20:07-04:00");
        }
        JsonNode c = item.path("search_criteria");
        if (!c.isObject()) {
            throw Rejection.criteria("search_criteria is required: {query_type, query, ...}");
        }
        purpose(c.path("consent"), "consent");
        purpose(c.path("authorize"), "authorize");
        String entity = c.path("response_entity").asText(Records.GROUP).trim().toLowerCase(Locale.ROOT);
        switch (entity) {
            case "group", "household", "" -> member = false;
            case "member" -> member = true;
            default -> throw Rejection.criteria("response_entity '" + Printable.of(entity) + "'; valid: Group, Member");
        }
        String type = c.path("query_type").asText("");
        JsonNode q = c.path("query");
        switch (type) {
            case "idtype-value" -> id = criteria.idTypeValue(q);
            case "expression", "predicate" -> query = criteria.compile(q);
            default -> throw Rejection.criteria("query_type '" + Printable.of(type) + "'; valid: idtype-value, "
                    + "expression, predicate");
        }
        if (id == null && query instanceof Criteria.Id one) { // a predicate naming one identifier: a lookup
            id = one;
        }
        pagination(c.path("pagination"), defaultPage, maxPage);
        sort(c.path("sort"));
    }

    /** The fields of an item and of its {@code search_criteria} that {@link #streamed} reads, each once. */
    private static final int REF = 1;
    private static final int LOCALE = 1 << 1;
    private static final int TIMESTAMP = 1 << 2;
    private static final int CRITERIA = 1 << 3;
    private static final int CONSENT = 1 << 4;
    private static final int AUTHORIZE = 1 << 5;
    private static final int ENTITY = 1 << 6;
    private static final int QUERY_TYPE = 1 << 7;
    private static final int QUERY = 1 << 8;
    private static final int PAGINATION = 1 << 9;
    private static final int SORT = 1 << 10;
    private static final int ID_TYPE = 1 << 11;
    private static final int ID_VALUE = 1 << 12;

    /** What {@link #streamed} has read of one item so far. */
    private static final class Fields extends StreamedFields.Seen {
        String ref;
        String locale;
        String timestamp;
        JsonNode consent = MissingNode.getInstance();
        JsonNode authorize = MissingNode.getInstance();
        String entity;
        String queryType;
        String idType;
        String idValue;
        JsonNode predicates;
        JsonNode pagination = MissingNode.getInstance();
        JsonNode sort = MissingNode.getInstance();
    }

    /**
     * The item at {@code p}'s current token read by the streaming parser, when it is in the common shape and
     * {@link #read} would take it without a refusal: a {@code reference_id} string, a valid {@code timestamp}, and
     * {@code search_criteria} whose {@code query} is an {@code idtype-value} object of two strings or a predicate
     * list ({@code consent}, {@code authorize}, {@code pagination}, {@code sort} and a predicate list, rare and
     * small, are read as trees and checked by the same methods as in {@link #read}). Null otherwise (a duplicate
     * name, another type, any refusal): the caller then reads the request with the tree reader, which holds every
     * check and its message, so no answer differs by the reader. {@code p} is left on the item's end.
     */
    static SearchItem streamed(JsonParser p, Criteria criteria, int defaultPage, long maxPage) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Fields f = new Fields();
        if (!StreamedFields.each(p, (name, t) -> switch (name) {
                case "reference_id" -> f.first(REF) && t == JsonToken.VALUE_STRING && (f.ref = p.getText()) != null;
                case "locale" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        f.locale = p.getText();
                    } else {
                        f.locale = null;
                        p.skipChildren();
                    }
                    yield f.first(LOCALE);
                }
                case "timestamp" -> f.first(TIMESTAMP) && t == JsonToken.VALUE_STRING
                        && (f.timestamp = p.getText()) != null;
                case "search_criteria" -> f.first(CRITERIA) && t == JsonToken.START_OBJECT && criteria(p, f);
                default -> StreamedFields.skip(p);
            })) {
            return null;
        }
        return (f.seen & CRITERIA) == 0 ? null : of(f, criteria, defaultPage, maxPage);
    }

    /** Reads a value inside the request (no check for what follows it, unlike {@code DciRoutes.MAPPER}). */
    private static final com.fasterxml.jackson.databind.ObjectMapper VALUES =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** The value at {@code p} as a (small) tree: a consent, an authorisation, a page, a sort, a predicate list. */
    private static JsonNode tree(JsonParser p) throws IOException {
        return VALUES.readTree(p);
    }

    /** Reads {@code search_criteria} (at its start) into {@code f}; false when not in the common shape. */
    private static boolean criteria(JsonParser p, Fields f) throws IOException {
        return StreamedFields.each(p, (name, t) -> switch (name) {
                case "consent" -> f.first(CONSENT) && (f.consent = tree(p)) != null;
                case "authorize" -> f.first(AUTHORIZE) && (f.authorize = tree(p)) != null;
                case "response_entity" -> f.first(ENTITY) && t == JsonToken.VALUE_STRING
                        && (f.entity = p.getText()) != null;
                case "query_type" -> f.first(QUERY_TYPE) && t == JsonToken.VALUE_STRING
                        && (f.queryType = p.getText()) != null;
                case "query" -> f.first(QUERY) && (t == JsonToken.START_ARRAY
                        ? (f.predicates = tree(p)) != null : t == JsonToken.START_OBJECT && idQuery(p, f));
                case "pagination" -> f.first(PAGINATION) && (f.pagination = tree(p)) != null;
                case "sort" -> f.first(SORT) && (f.sort = tree(p)) != null;
                default -> StreamedFields.skip(p);
            });
    }

    /** Reads an {@code idtype-value} query object: {@code type} and {@code value} strings, both given. */
    private static boolean idQuery(JsonParser p, Fields f) throws IOException {
        return StreamedFields.each(p, (name, t) -> switch (name) {
                case "type" -> f.first(ID_TYPE) && t == JsonToken.VALUE_STRING && (f.idType = p.getText()) != null;
                case "value" -> f.first(ID_VALUE) && t == JsonToken.VALUE_STRING
                        && (f.idValue = p.getText()) != null;
                default -> StreamedFields.skip(p);
            })
                && (f.seen & (ID_TYPE | ID_VALUE)) == (ID_TYPE | ID_VALUE);
    }

    /** The item of {@code f}, in {@link #parse}'s order and by its rules; null where it would refuse. */
    private static SearchItem of(Fields f, Criteria criteria, int defaultPage, long maxPage) {
        if (f.ref == null || f.ref.length() > 99 || f.timestamp == null || !timestamp(f.timestamp)
                || f.queryType == null) {
            return null;
        }
        SearchItem s = new SearchItem();
        s.referenceId = f.ref;
        if (f.locale != null && threeLetters(f.locale)) {
            s.locale = f.locale;
        }
        try {
            s.purpose(f.consent, "consent");
            s.purpose(f.authorize, "authorize");
            switch (f.entity == null ? "group" : f.entity.trim().toLowerCase(Locale.ROOT)) {
                case "group", "household", "" -> s.member = false;
                case "member" -> s.member = true;
                default -> {
                    return null;
                }
            }
            switch (f.queryType) {
                case "idtype-value" -> {
                    if (f.idType == null) {
                        return null;
                    }
                    s.id = Criteria.idTypeValue(f.idType, f.idValue);
                }
                case "expression", "predicate" -> {
                    if (f.predicates == null) {
                        return null;
                    }
                    s.query = criteria.compile(f.predicates);
                }
                default -> {
                    return null;
                }
            }
            if (s.id == null && s.query instanceof Criteria.Id one) {
                s.id = one;
            }
            s.pagination(f.pagination, defaultPage, maxPage);
            s.sort(f.sort);
        } catch (Rejection r) {
            return null;
        }
        return s;
    }

    /** {@code [a-z]{3}}, without a regex. */
    private static boolean threeLetters(String s) {
        return s.length() == 3 && lower(s.charAt(0)) && lower(s.charAt(1)) && lower(s.charAt(2));
    }

    private static boolean lower(char c) {
        return c >= 'a' && c <= 'z';
    }

    /**
     * Whether {@code s} is an ISO 8601 date-time with its offset, as {@code OffsetDateTime.parse} takes it. The
     * common form ({@code 2026-12-07T09:00:00[.fraction](Z|+05:00)}) is checked by hand, each field in its range
     * (days by month and leap year); anything else goes to {@code OffsetDateTime.parse}.
     */
    static boolean timestamp(String s) {
        if (plain(s)) {
            return true;
        }
        try {
            OffsetDateTime.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** True only when {@code s} is in the common form and every field is in range (false: not known here). */
    static boolean plain(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return false;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return false;
        }
        int p = 19;
        if (s.charAt(p) == '.') {
            int q = p + 1;
            while (q < n && s.charAt(q) >= '0' && s.charAt(q) <= '9') {
                q++;
            }
            if (q == p + 1 || q - p - 1 > 9) {
                return false;
            }
            p = q;
        }
        if (p == n - 1) {
            return s.charAt(p) == 'Z';
        }
        if (p != n - 6 || s.charAt(p) != '+' && s.charAt(p) != '-' || s.charAt(p + 3) != ':') {
            return false;
        }
        int oh = digits(s, p + 1, 2);
        int om = digits(s, p + 4, 2);
        return oh >= 0 && oh <= 17 && om >= 0 && om <= 59;
    }

    /** The whole number of the {@code len} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + c - '0';
        }
        return v;
    }

    private void purpose(JsonNode n, String kind) {
        if (!n.isObject()) {
            return; // absent, or "" as in the standard's examples
        }
        JsonNode p = n.path("purpose");
        purposes.add(new AccessRecord.Purpose(referenceId, kind, text(n.path("ts")), text(p.path("text")),
                text(p.path("code")), text(p.path("ref_uri"))));
    }

    private static String text(JsonNode n) {
        if (!n.isValueNode() || n.isNull()) {
            return null;
        }
        String s = n.asText();
        return s.length() > 512 ? s.substring(0, 512) : s;
    }

    /** Whether a purpose (text or code) was given, by the authorisation or the consent. */
    boolean hasPurpose() {
        for (AccessRecord.Purpose p : purposes) {
            if (p.text() != null && !p.text().isBlank() || p.code() != null && !p.code().isBlank()) {
                return true;
            }
        }
        return false;
    }

    private void pagination(JsonNode p, int defaultPage, long maxPage) {
        pageSize = (int) Math.min(defaultPage, maxPage);
        if (p.isMissingNode() || p.isNull() || p.isTextual() && p.asText().isEmpty()) {
            return;
        }
        if (!p.isObject()) {
            throw new Rejection(Codes.PAGINATION, "pagination is {page_size, page_number}");
        }
        JsonNode size = p.path("page_size");
        if (!size.isMissingNode()) {
            long v = whole(size);
            if (v < 1 || v > maxPage) {
                throw new Rejection(Codes.PAGINATION, "page_size must be a whole number from 1 to " + maxPage
                        + " (the role's row limit and this registry's largest page)");
            }
            pageSize = (int) v;
        }
        JsonNode number = p.path("page_number");
        if (!number.isMissingNode()) {
            long v = whole(number);
            if (v < 1 || v > Integer.MAX_VALUE) {
                throw new Rejection(Codes.PAGINATION, "page_number must be a whole number from 1 (pages count from 1)");
            }
            pageNumber = (int) v;
        }
    }

    private static long whole(JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isNumber() && n.asDouble() == Math.rint(n.asDouble()) && Math.abs(n.asDouble()) < 1e15) {
            return (long) n.asDouble();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.asText().trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private void sort(JsonNode s) {
        if (s.isMissingNode() || s.isNull() || s.isArray() && s.isEmpty() || s.isTextual() && s.asText().isEmpty()) {
            return;
        }
        if (!s.isArray() || s.size() > 1 || !s.get(0).isObject()) {
            throw new Rejection(Codes.SORT, "sort is a list of one {attribute_name, sort_order}: this registry sorts "
                    + "on one attribute");
        }
        String attr = s.get(0).path("attribute_name").asText("").trim();
        String order = s.get(0).path("sort_order").asText("asc").trim().toLowerCase(Locale.ROOT);
        if (!order.equals("asc") && !order.equals("desc")) {
            throw new Rejection(Codes.SORT, "sort_order '" + Printable.of(order) + "'; valid: asc, desc");
        }
        String a = attr.toLowerCase(Locale.ROOT);
        if (a.equals("poverty_score") || a.equals("pmt_score")) {
            sort = order.equals("asc") ? SortKey.SCORE_ASC : SortKey.SCORE_DESC;
        } else if (a.equals("group_size") || a.equals("household_size")) {
            sort = order.equals("asc") ? SortKey.SIZE_ASC : SortKey.SIZE_DESC;
        } else if (Criteria.PERSON_IDS.contains(attr.toUpperCase(Locale.ROOT))
                || attr.equalsIgnoreCase(Criteria.HOUSEHOLD_ID)) {
            // identifiers: what a lookup answers (one household), or the registry's own order, ascending
            if (id == null && order.equals("desc")) {
                throw new Rejection(Codes.SORT, "sort on " + Printable.of(attr) + " is ascending only (the "
                        + "registry's own order); poverty_score sorts both ways");
            }
            sort = SortKey.IDENTIFIER;
        } else {
            throw new Rejection(Codes.SORT, "cannot sort on '" + Printable.of(attr) + "'; valid: poverty_score (asc, "
                    + "desc), group_size (asc, desc), HOUSEHOLD_ID / UIN (asc: the registry's order)");
        }
    }
}

package pk.gov.bisp.nser.server.dci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;
import pk.gov.bisp.nser.core.text.Printable;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.search.SearchContext;

/**
 * One {@code subscribe_request} item read: its {@code subscribe_criteria} ({@code reg_event_type},
 * {@code filter_type} and {@code filter}, {@code notify_record_type}, {@code authorize}) made into the search item
 * they mean and compiled and checked as a search's criteria are (area scope, attributes, operators), so a
 * subscription can only ever match what its subscriber could search for; or why it is refused, with the contract's
 * {@code SubscribeStatusReasonCode}: {@code rjct.notify_types.invalid} for an event this registry does not notify,
 * {@code rjct.notify_details.invalid} naming any other problem of the criteria, a {@code frequency} among them
 * (notifications are sent as each change is made, never batched by a schedule, so a schedule asked for is refused
 * rather than silently ignored).
 */
final class SubscribeItem {

    static final String NOTIFY_TYPES = "rjct.notify_types.invalid";
    static final String NOTIFY_DETAILS = "rjct.notify_details.invalid";
    static final String ALREADY_SUBSCRIBED = "rjct.event.already_subscribed";

    String referenceId = "";
    String locale;
    Rejection rejection;
    Subscription subscription;
    List<AccessRecord.Purpose> purposes = List.of();

    /**
     * Reads {@code item} of {@code user}'s request.
     *
     * @param purposeRequired whether the organisation must state a purpose
     * @param mayFilter       who may filter by which live bitmap (a partner programme, benefits paid)
     */
    static SubscribeItem read(JsonNode item, Criteria criteria, SearchContext sc, User user, boolean purposeRequired,
                              String senderId, String notifyUrl, BiPredicate<User, String> mayFilter) {
        SubscribeItem s = new SubscribeItem();
        try {
            s.parse(item, criteria, sc, user, purposeRequired, senderId, notifyUrl, mayFilter);
        } catch (Rejection r) {
            s.rejection = r;
        }
        return s;
    }

    private void parse(JsonNode item, Criteria criteria, SearchContext sc, User user, boolean purposeRequired,
                       String senderId, String notifyUrl, BiPredicate<User, String> mayFilter) {
        if (!item.isObject()) {
            throw new Rejection(NOTIFY_DETAILS, "each subscribe_request item is an object {reference_id, timestamp, "
                    + "subscribe_criteria}");
        }
        JsonNode c = item.path("subscribe_criteria");
        String event = Subscription.event(c.path("reg_event_type").asText(""));
        String type = c.path("notify_record_type").asText("Group");
        type = type.substring(type.lastIndexOf(':') + 1).trim().toLowerCase(Locale.ROOT);
        JsonNode filter = c.path("filter");
        String filterType = c.path("filter_type").asText(filter.isArray() ? "predicate"
                : filter.has("type") && filter.has("value") ? "idtype-value" : "expression");
        // the subscribe item as the search item it means, read by the search's own reader
        ObjectNode search = DciRoutes.MAPPER.createObjectNode();
        search.set("reference_id", item.path("reference_id"));
        search.set("timestamp", item.path("timestamp"));
        ObjectNode sc2 = search.putObject("search_criteria");
        sc2.put("query_type", filterType).set("query", filter);
        sc2.put("response_entity", type);
        if (c.has("authorize")) {
            sc2.set("authorize", c.path("authorize"));
        }
        SearchItem read = SearchItem.read(search, criteria, 1, 1);
        referenceId = read.referenceId;
        locale = read.locale;
        purposes = read.purposes;
        if (read.rejection != null) {
            String code = read.rejection.code();
            throw code.equals(Codes.REFERENCE_ID) || code.equals(Codes.TIMESTAMP) ? read.rejection
                    : new Rejection(NOTIFY_DETAILS, read.rejection.getMessage());
        }
        if (!c.isObject()) {
            throw new Rejection(NOTIFY_DETAILS, "subscribe_criteria is required: {reg_event_type, filter_type, "
                    + "filter, notify_record_type}");
        }
        if (event == null) {
            throw new Rejection(NOTIFY_TYPES, "reg_event_type '" + Printable.of(c.path("reg_event_type").asText(""))
                    + "'; this registry notifies: REGISTER (a new registration or a re-survey), NewHouseHoldMember "
                    + "(a roster change)");
        }
        JsonNode frequency = c.path("frequency");
        if (!frequency.isMissingNode() && !frequency.isNull()
                && !(frequency.isTextual() && frequency.asText().isEmpty())) {
            throw new Rejection(NOTIFY_DETAILS, "frequency is not supported: this registry notifies each change as "
                    + "it is made (at least once, in order per household); omit frequency, or subscribe to what you "
                    + "need and batch on your side");
        }
        if (purposeRequired && !read.hasPurpose()) {
            throw new Rejection(NOTIFY_DETAILS, "organisation '" + user.organisation().id() + "' must state the "
                    + "purpose of each subscription: subscribe_criteria.authorize.purpose text or code");
        }
        try {
            criteria.check(read.lookup() ? read.id : read.query, sc, user, false, mayFilter);
        } catch (Rejection r) {
            throw new Rejection(NOTIFY_DETAILS, r.getMessage());
        }
        subscription = new Subscription(DciRoutes.id(), user, senderId, notifyUrl, event, read.member, filterType,
                filter, search, referenceId, locale, Instant.now());
    }

    /** The {@code SubscriptionInfo} of {@code s}: the filter as given (a number as text, as the contract types it). */
    static ObjectNode info(Subscription s, String status) {
        ObjectNode i = DciRoutes.MAPPER.createObjectNode();
        i.put("version", DciRoutes.VERSION);
        i.put("code", s.code());
        i.put("status", status);
        i.put("timestamp", s.at().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        i.put("reg_type", DciRoutes.REG_TYPE);
        i.put("reg_event_type", s.event());
        i.put("filter_type", s.filterType());
        JsonNode f = s.filter().deepCopy();
        if (f.isObject() && f.path("value").isValueNode() && !f.path("value").isTextual()) {
            ((ObjectNode) f).put("value", f.path("value").asText());
        }
        i.set("filter", f);
        i.put("notify_record_type", s.member() ? Records.MEMBER : Records.GROUP);
        if (s.locale() != null) {
            i.put("locale", s.locale());
        }
        return i;
    }
}

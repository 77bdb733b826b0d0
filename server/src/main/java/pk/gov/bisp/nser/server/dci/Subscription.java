package pk.gov.bisp.nser.server.dci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Organisation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.update.HouseholdListener;

/**
 * One DCI subscription ({@code POST /registry/subscribe}): who made it (the user, whose role projects and whose
 * organisation's area scope narrows every notification), where its notifications go ({@link #notifyUrl}, at an
 * origin registered for the organisation), which changes it asks for (its event and its criteria, kept as the
 * search item they compile from) and in what shape ({@code Group}, or each {@code Member}). Journaled as JSON (kind
 * {@link Subscriptions#SUBSCRIBE}, {@link #encode}); the organisation is looked up again in the configuration at
 * start, so a narrowed area scope applies to old subscriptions too.
 *
 * @param code          the subscription code this registry gave it
 * @param user          who subscribed
 * @param senderId      the subscriber's {@code header.sender_id} (the notifications' {@code receiver_id})
 * @param notifyUrl     where {@code /registry/notify} is POSTed
 * @param event         {@code REGISTER} or {@code NewHouseHoldMember}
 * @param member        true: notified as each {@code Member}; false: as the {@code Group}
 * @param filterType    the filter's query type
 * @param filter        the filter as given
 * @param item          the search item the filter compiles from ({@code search_criteria}: query type and query)
 * @param referenceId   the subscribe item's reference id
 * @param locale        the item's locale, or null
 * @param at            when it was made
 */
record Subscription(String code, User user, String senderId, String notifyUrl, String event, boolean member,
                    String filterType, JsonNode filter, JsonNode item, String referenceId, String locale,
                    Instant at) {

    static final String REGISTER = "REGISTER";
    static final String NEW_MEMBER = "NewHouseHoldMember";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The event types this registry notifies, as the contract names them; null for an unknown one. */
    static String event(String given) {
        String e = given.substring(given.lastIndexOf(':') + 1).trim().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "register" -> REGISTER;
            case "newhouseholdmember" -> NEW_MEMBER;
            default -> null;
        };
    }

    /** The contract's event type of a change: NewHouseHoldMember for a roster change, else REGISTER. */
    static String eventOf(HouseholdListener.Kind kind) {
        return kind == HouseholdListener.Kind.ROSTER ? NEW_MEMBER : REGISTER;
    }

    /** Whether {@code kind} is a change this subscription asked for. */
    boolean wants(HouseholdListener.Kind kind) {
        return event.equals(eventOf(kind));
    }

    /** What makes two subscriptions the same (an organisation cannot subscribe twice to one thing at one URL). */
    String sameness() {
        return user.organisation().id() + '\u0000' + event + '\u0000' + member + '\u0000' + notifyUrl + '\u0000'
                + filterType + '\u0000' + filter;
    }

    /**
     * The journal record; {@code seenUpdate} is the last update the listener had been told of when it was made (the
     * updates replayed at start up to it are not this subscription's, nor any earlier one's).
     */
    byte[] encode(long seenUpdate) {
        try {
            return JSON.writeValueAsBytes(node(seenUpdate));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #encode}'s record as a tree, to which the journal adds its position. */
    ObjectNode node(long seenUpdate) {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", 1).put("code", code).put("seen_update", seenUpdate);
        n.putObject("user").put("id", user.id()).put("name", user.name())
                .put("organisation", user.organisation().id()).put("role", user.role().name())
                .put("agreement", user.agreement());
        n.put("sender_id", senderId).put("notify_url", notifyUrl).put("event", event).put("member", member)
                .put("filter_type", filterType);
        n.set("filter", filter);
        n.set("item", item);
        n.put("reference_id", referenceId).put("locale", locale).put("at", at.toString());
        return n;
    }

    /**
     * The subscription journaled as {@code n}, its user's organisation from {@code organisations}.
     *
     * @throws IOException when the record is not a subscription, or its organisation is no longer configured
     */
    static Subscription decode(JsonNode n, Map<String, Organisation> organisations) throws IOException {
        JsonNode u = n.path("user");
        Organisation org = organisations.get(u.path("organisation").asText());
        if (n.path("v").asInt() != 1 || !n.path("code").isTextual() || org == null) {
            throw new IOException("not a subscription of a configured organisation: v=" + n.path("v").asInt()
                    + ", organisation=" + u.path("organisation").asText());
        }
        Role role;
        try {
            role = Role.valueOf(u.path("role").asText());
        } catch (IllegalArgumentException e) {
            throw new IOException("unknown role " + u.path("role").asText(), e);
        }
        Set<Operation> ops = EnumSet.of(Operation.SEARCH);
        User user = new User(u.path("id").asText(), u.path("name").asText(), org, role, ops, null,
                u.path("agreement").isTextual() ? u.path("agreement").asText() : null);
        return new Subscription(n.path("code").asText(), user, n.path("sender_id").asText(),
                n.path("notify_url").asText(), n.path("event").asText(), n.path("member").asBoolean(),
                n.path("filter_type").asText(), n.path("filter"), n.path("item"), n.path("reference_id").asText(),
                n.path("locale").isTextual() ? n.path("locale").asText() : null,
                Instant.parse(n.path("at").asText(Instant.EPOCH.toString())));
    }
}

package pk.gov.bisp.nser.server.dci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.List;
import java.util.function.BiPredicate;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.json.JsonBytes;
import pk.gov.bisp.nser.server.projection.HouseholdWriter;
import pk.gov.bisp.nser.server.registry.Registry;
import pk.gov.bisp.nser.server.search.SearchContext;
import pk.gov.bisp.nser.server.update.HouseholdListener;

/**
 * Whether a household change is for a subscription, and the {@code /registry/notify} message that tells it: the
 * change's event must be the subscription's, the household in its organisation's area scope and matching its
 * criteria (compiled and evaluated as a search's, on the query engine, which live updates keep current), and the
 * household, as it is when the notification is made, is projected by the subscriber's role through the native list
 * projection ({@link HouseholdWriter#listRow}: what the role may not see is never written) and mapped to the DCI
 * record as a search answer's is. Used on the subscriptions' thread only: its record, writer and buffers are reused.
 */
public final class Notifications {

    /** A notification: its body, and the field classes it carries (for the access record). */
    record Notice(byte[] body, int classes) {
    }

    /** No notification: the change is not for the subscription. */
    static final Notice NONE = new Notice(new byte[0], 0);

    private final Registry registry;
    private final Today today;
    private final BiPredicate<User, String> mayFilter;
    private final HouseholdRecord record = new HouseholdRecord();
    private final JsonBytes json = new JsonBytes(4_096);
    private final RecordStream stream = new RecordStream();
    private SearchContext search;
    private HouseholdWriter writer;
    private Criteria criteria;
    private RoaringBitmap all;

    /**
     * @param mayFilter who may filter by which live bitmap (a partner programme, benefits paid), asked again at each
     *                  notification: a partner whose agreement no longer names a programme is told no more of the
     *                  households it serves
     */
    public Notifications(Registry registry, Today today, BiPredicate<User, String> mayFilter) {
        this.registry = registry;
        this.today = today;
        this.mayFilter = mayFilter;
    }

    /** The notification of {@code change} for {@code s}, {@link #NONE}, or null while the registry is not ready. */
    Notice notice(Subscription s, HouseholdListener.Change change) {
        if (!registry.ready()) {
            return null;
        }
        if (!s.wants(change.kind())) {
            return NONE;
        }
        Registry.Generation pinned = registry.pin(); // off the requests: not closed by a fold meanwhile (issue 29)
        try {
            return notice(s, change, registry.snapshot());
        } finally {
            pinned.release();
        }
    }

    private Notice notice(Subscription s, HouseholdListener.Change change, Snapshot snap) {
        if (search == null || search.snapshot() != snap) {
            search = new SearchContext(snap, registry.liveSets()); // programme eq pbm: the partners' live sets
            writer = new HouseholdWriter(snap.geography(), snap.dictionary(), today);
            criteria = new Criteria(search);
        }
        if (!snap.read(change.ordinal(), record) || record.householdId() != change.householdId()
                || !s.user().organisation().scope().containsUc(snap.geography(), record.unionCouncil())) {
            return NONE;
        }
        SearchItem item = SearchItem.read(s.item(), criteria, 1, 1);
        if (item.rejection != null) { // no longer compiles (the geography changed): nothing matches it
            return NONE;
        }
        try {
            criteria.check(item.lookup() ? item.id : item.query, search, s.user(), false, mayFilter);
        } catch (Rejection r) { // no longer allowed (an agreement changed): nothing matches it
            return NONE;
        }
        all = null;
        RoaringBitmap hits = Criteria.evaluate(item.lookup() ? item.id : item.query, search, () -> {
            if (all == null) {
                all = search.engine().evaluate(Query.ALL);
            }
            return all;
        });
        if (!hits.contains(change.ordinal())) {
            return NONE;
        }
        Role role = s.user().role();
        json.reset();
        writer.listRow(json, record, role, null, null);
        return new Notice(DciRoutes.bytes(message(s, change)).getBytes(), HouseholdWriter.fieldClasses(role, true));
    }

    /** The {@code notify} message (NotifyEventRequest): one event with the Group, or one per Member. */
    private ObjectNode message(Subscription s, HouseholdListener.Change change) {
        ObjectNode out = DciRoutes.MAPPER.createObjectNode();
        ObjectNode h = DciRoutes.callbackHeader(DciRoutes.MAPPER.createObjectNode().put("sender_id", s.senderId()),
                "notify", Codes.SUCC);
        out.set("header", h);
        ObjectNode m = out.putObject("message");
        m.put("transaction_id", DciRoutes.id());
        ArrayNode events = m.putArray("notify_event");
        List<String> records = s.member() ? stream.members(json.array(), 0, json.size())
                : List.of(stream.group(json.array(), 0, json.size()));
        for (String r : records) {
            ObjectNode e = events.addObject();
            e.put("reference_id", s.referenceId());
            e.put("timestamp", DciRoutes.now());
            e.put("subscription_code", s.code());
            ObjectNode data = e.putObject("data");
            data.put("version", DciRoutes.VERSION);
            data.put("reg_type", DciRoutes.REG_TYPE);
            data.put("reg_event_type", Subscription.eventOf(change.kind()));
            data.put("reg_record_type", s.member() ? Records.MEMBER : Records.GROUP);
            data.putRawValue("reg_records", new RawValue(r));
            data.put("update_type", change.updateType());
            data.put("updated_at", change.at().toString());
            if (s.locale() != null) {
                e.put("locale", s.locale());
            }
        }
        h.put("total_count", events.size());
        h.put("completed_count", events.size());
        return out;
    }
}

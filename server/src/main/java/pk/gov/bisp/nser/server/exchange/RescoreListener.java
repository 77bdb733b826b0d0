package pk.gov.bisp.nser.server.exchange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.update.HouseholdListener;

/**
 * Gives the feed of each programme enrolling a household an entry when a live update changes the household's PMT
 * band or its eligibility for that programme (issue 31): the change is journaled in the exchange journal (a
 * {@link Rescore}, fsynced) before the update is answered, so an answered update's entries survive a kill -9. An
 * update of an enrolled household that changed nothing is journaled too (a rescore without items), so at start only
 * the updates the update journal replayed past the last rescore the exchange journal holds (a kill -9 between the two
 * fsyncs) are looked at again, once the snapshot is attached; their state before is gone, so every programme
 * enrolling such a household gets an entry (at least once). A clean close journals how far the updates were looked
 * at, so a clean restart adds none.
 */
final class RescoreListener implements HouseholdListener {

    private static final Logger LOG = Logger.getLogger(RescoreListener.class.getName());

    private final ExchangeStore store;
    private final RegistryStatus status;
    private final AtomicLong seen = new AtomicLong();
    private final Map<Long, Change> replayed = new LinkedHashMap<>();

    RescoreListener(ExchangeStore store, RegistryStatus status) {
        this.store = store;
        this.status = status;
    }

    @Override
    public void changed(Change c, Runnable durable) {
        if (store.onLog() && c.sequence() <= store.state().lastUpdate()) { // applied again after a restart
            durable.run();
            return;
        }
        seen.accumulateAndGet(c.sequence(), Math::max);
        List<Rescore.Item> items = c.after() == null ? null : changes(c);
        if (items == null) { // a household no programme enrols
            durable.run();
            return;
        } // else journaled even when nothing changed: the update was looked at, a restart need not look again
        store.append(new Rescore(c.sequence(), c.at().toEpochMilli(), c.householdId(), items), cause -> {
            if (cause != null) {
                LOG.log(Level.SEVERE, "the exchange journal did not take the rescore of household "
                        + c.householdId() + " (update " + c.sequence() + "); its partners' feeds miss it", cause);
            }
            durable.run();
        });
    }

    /**
     * The programmes enrolling the household whose status the update changed (all of them when the state before is
     * unknown); null when no programme enrols it.
     */
    private List<Rescore.Item> changes(Change c) {
        List<Rescore.Item> out = new ArrayList<>();
        boolean[] enrolled = new boolean[1];
        store.state().enrolmentsOf(c.householdId()).forEach((programme, e) -> {
            if (!e.enrolled()) {
                return;
            }
            enrolled[0] = true;
            Rescore.Item after = status.of(c.after(), programme);
            if (c.before() == null || !after.equals(status.of(c.before(), programme))) {
                out.add(after);
            }
        });
        return enrolled[0] ? out : null;
    }

    @Override
    public synchronized void replayed(List<Change> changes) {
        long done = store.state().lastUpdate();
        for (Change c : changes) {
            seen.accumulateAndGet(c.sequence(), Math::max);
            if (c.sequence() > done) {
                replayed.remove(c.householdId());
                replayed.put(c.householdId(), c); // the household's last replayed update: its state now
            }
        }
    }

    /** Once the snapshot is attached: the replayed updates not looked at before, with the households as they are. */
    synchronized void attached(Snapshot s) {
        HouseholdRecord r = new HouseholdRecord();
        for (Change c : replayed.values()) {
            int ordinal = s.ordinalOfHouseholdId(c.householdId());
            if (ordinal >= 0 && s.read(ordinal, r)) {
                changed(new Change(c.sequence(), c.ordinal(), c.householdId(), c.kind(), c.updateType(), c.at(),
                        null, r.toByteArray()), () -> { });
            }
        }
        replayed.clear();
    }

    /** The newest update sequence looked at. */
    long seen() {
        return seen.get();
    }
}

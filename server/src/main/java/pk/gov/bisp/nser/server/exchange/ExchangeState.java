package pk.gov.bisp.nser.server.exchange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import org.roaringbitmap.buffer.MutableRoaringBitmap;
import pk.gov.bisp.nser.core.index.Dimensions;
import pk.gov.bisp.nser.core.query.LiveSets;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * What the exchange journal says now: each programme's latest word on each household, the enrolment change feed in
 * journal order (a position is an enrolment's place in it, from 1), the benefits per household, and per programme the
 * bitmap of households enrolled now. Fed only from journaled batches, in journal order (as each is fsynced, and by
 * replaying the journal at start), so replaying gives the same positions. The bitmaps need the snapshot's ordinals:
 * they are made when it is {@link #attach attached} and kept from then on; each change publishes new bitmaps (copy on
 * write), so a query holds a set whole. Thread-safe.
 */
final class ExchangeState implements LiveSets {

    /**
     * One entry of the change feed: an enrolment as posted ({@code rescored} null), or a live update's change of an
     * enrolled household's registry status for the programme ({@code enrolment} is then the programme's latest word
     * on the household, {@code organisation} the one that posted it, {@code at} when the update was decided).
     */
    record FeedEntry(long position, String organisation, long at, Enrolment enrolment, Rescore.Item rescored) {

        FeedEntry(long position, String organisation, long at, Enrolment enrolment) {
            this(position, organisation, at, enrolment, null);
        }
    }

    /** A page of the feed: the entries after a position, and the position to ask from next. */
    record FeedPage(List<FeedEntry> entries, long nextPosition) {
    }

    private static final ImmutableRoaringBitmap EMPTY = new MutableRoaringBitmap();
    private static final String BENEFIT_PREFIX = pk.gov.bisp.nser.core.query.QueryParser.BENEFIT_MIN + "=";

    /** The configured partner programmes, and any other a batch enrolled for (an agreement made through the API). */
    private volatile Set<String> programmes;
    private final Map<String, Map<Long, FeedEntry>> latest = new HashMap<>();
    private final List<FeedEntry> feed = new ArrayList<>();
    private final Map<Long, List<Benefit>> benefits = new HashMap<>();
    private final Map<String, MutableRoaringBitmap> working = new HashMap<>();
    /** Households enrolled in any programme now: the union of {@code working}, published under {@link #ANY}. */
    private MutableRoaringBitmap anyWorking = new MutableRoaringBitmap();
    /** The key of the union in {@code published}: no programme id (letters, digits, dots, dashes) can be it. */
    private static final String ANY = "*";
    private Snapshot snapshot;
    private volatile Map<String, ImmutableRoaringBitmap> published = Map.of();
    private long lastUpdate;

    /** @param programmes the partner programmes (their ids join the {@code programme} filter) */
    ExchangeState(Set<String> programmes) {
        this.programmes = Set.copyOf(new TreeSet<>(programmes));
    }

    /** Applies a journaled batch. */
    synchronized void apply(ExchangeBatch b) {
        Set<String> touched = new TreeSet<>();
        for (Enrolment e : b.enrolments()) {
            if (!programmes.contains(e.programme())) { // a filter value from now on
                Set<String> more = new TreeSet<>(programmes);
                more.add(e.programme());
                programmes = Set.copyOf(more);
            }
            FeedEntry f = new FeedEntry(feed.size() + 1L, b.organisation(), b.at(), e);
            feed.add(f);
            FeedEntry before = latest.computeIfAbsent(e.programme(), k -> new HashMap<>()).put(e.householdId(), f);
            boolean was = before != null && before.enrolment().enrolled();
            if (was != e.enrolled() && snapshot != null) {
                int ordinal = snapshot.ordinalOfHouseholdId(e.householdId());
                if (ordinal >= 0) {
                    MutableRoaringBitmap m = working.computeIfAbsent(e.programme(), k -> new MutableRoaringBitmap());
                    if (e.enrolled()) {
                        m.add(ordinal);
                        anyWorking.add(ordinal);
                    } else {
                        m.remove(ordinal);
                        if (working.values().stream().noneMatch(w -> w.contains(ordinal))) {
                            anyWorking.remove(ordinal);
                        }
                    }
                    touched.add(e.programme());
                }
            }
        }
        for (Benefit x : b.benefits()) {
            benefits.computeIfAbsent(x.householdId(), k -> new ArrayList<>(2)).add(x);
        }
        publish(touched);
    }

    /**
     * Applies a journaled rescore: an entry in the feed of each listed programme that still enrols the household,
     * for the organisation whose enrolment it is.
     */
    synchronized void apply(Rescore r) {
        for (Rescore.Item i : r.items()) {
            Map<Long, FeedEntry> hs = latest.get(i.programme());
            FeedEntry last = hs == null ? null : hs.get(r.householdId());
            if (last != null && last.enrolment().enrolled()) {
                feed.add(new FeedEntry(feed.size() + 1L, last.organisation(), r.at(), last.enrolment(), i));
            }
        }
        lastUpdate = Math.max(lastUpdate, r.update());
    }

    /** The newest update sequence a journaled rescore (or close) covers: updates after it were not looked at. */
    synchronized long lastUpdate() {
        return lastUpdate;
    }

    /** Makes the bitmaps over {@code s}'s ordinals (once the snapshot is open, before it is served). */
    synchronized void attach(Snapshot s) {
        snapshot = s;
        working.clear();
        for (Map.Entry<String, Map<Long, FeedEntry>> p : latest.entrySet()) {
            MutableRoaringBitmap m = new MutableRoaringBitmap();
            for (FeedEntry f : p.getValue().values()) {
                Enrolment e = f.enrolment();
                int ordinal = e.enrolled() ? s.ordinalOfHouseholdId(e.householdId()) : -1;
                if (ordinal >= 0) {
                    m.add(ordinal);
                }
            }
            working.put(p.getKey(), m);
        }
        anyWorking = new MutableRoaringBitmap();
        working.values().forEach(anyWorking::or);
        publish(working.keySet());
    }

    private void publish(Set<String> touched) {
        if (touched.isEmpty()) {
            return;
        }
        Map<String, ImmutableRoaringBitmap> next = new HashMap<>(published);
        for (String p : touched) {
            MutableRoaringBitmap copy = working.get(p).clone();
            copy.runOptimize();
            next.put(p, copy);
        }
        MutableRoaringBitmap any = anyWorking.clone();
        any.runOptimize();
        next.put(ANY, any);
        published = Map.copyOf(next);
    }

    @Override
    public Set<String> programmes() {
        return programmes;
    }

    @Override
    public ImmutableRoaringBitmap any() {
        ImmutableRoaringBitmap b = published.get(ANY);
        return b == null ? EMPTY : b;
    }

    @Override
    public ImmutableRoaringBitmap bitmap(String name) {
        if (name.startsWith(BENEFIT_PREFIX)) {
            return paidAtLeast(name);
        }
        String prefix = Dimensions.PROGRAMME.bitmapName("");
        if (!name.startsWith(prefix)) {
            return null;
        }
        String programme = name.substring(prefix.length());
        ImmutableRoaringBitmap b = published.get(programme);
        return b != null ? b : programmes.contains(programme) ? EMPTY : null;
    }

    /**
     * The households paid at least a total over a period, all programmes together, made afresh from the benefits:
     * {@code benefit_pkr_min=PAISA@FROM..TO} (months, as {@code QueryParser} writes it); null for another name.
     */
    private synchronized ImmutableRoaringBitmap paidAtLeast(String name) {
        int at = name.indexOf('@');
        int dots = name.indexOf("..", at);
        if (at < 0 || dots < 0 || snapshot == null) {
            return at < 0 || dots < 0 ? null : EMPTY;
        }
        long min = Long.parseLong(name.substring(BENEFIT_PREFIX.length(), at));
        String from = name.substring(at + 1, dots);
        String to = name.substring(dots + 2);
        MutableRoaringBitmap out = new MutableRoaringBitmap();
        for (Map.Entry<Long, List<Benefit>> h : benefits.entrySet()) {
            long total = 0;
            boolean any = false;
            for (Benefit b : h.getValue()) {
                String m = b.period().toString();
                if (m.compareTo(from) >= 0 && m.compareTo(to) <= 0) {
                    total += b.amountPaisa();
                    any = true;
                }
            }
            int ordinal = any && total >= min ? snapshot.ordinalOfHouseholdId(h.getKey()) : -1;
            if (ordinal >= 0) {
                out.add(ordinal);
            }
        }
        return out;
    }

    /** Households enrolled in {@code programme} now (ordinals; empty before the snapshot is attached). */
    ImmutableRoaringBitmap enrolled(String programme) {
        ImmutableRoaringBitmap b = published.get(programme);
        return b == null ? EMPTY : b;
    }

    /** Each programme's latest word on the household, by programme id. */
    synchronized Map<String, Enrolment> enrolmentsOf(long householdId) {
        Map<String, Enrolment> out = new TreeMap<>();
        latest.forEach((p, hs) -> {
            FeedEntry f = hs.get(householdId);
            if (f != null) {
                out.put(p, f.enrolment());
            }
        });
        return out;
    }

    /** The benefits posted for the household, in journal order. */
    synchronized List<Benefit> benefitsOf(long householdId) {
        List<Benefit> b = benefits.get(householdId);
        return b == null ? List.of() : List.copyOf(b);
    }

    /** Up to {@code limit} of {@code organisation}'s enrolments after position {@code since}, in order. */
    synchronized FeedPage since(String organisation, long since, int limit) {
        List<FeedEntry> out = new ArrayList<>();
        long next = Math.max(since, 0);
        for (int i = (int) Math.min(next, feed.size()); i < feed.size() && out.size() < limit; i++) {
            FeedEntry f = feed.get(i);
            if (f.organisation().equals(organisation)) {
                out.add(f);
            }
            next = f.position();
        }
        return new FeedPage(out, Math.max(next, Math.min(since, feed.size())));
    }

    /** The newest position (enrolments journaled). */
    synchronized long head() {
        return feed.size();
    }
}

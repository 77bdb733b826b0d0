package pk.gov.bisp.nser.server.dci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.journal.Completion;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.core.journal.JournalOptions;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.server.caller.Organisation;
import pk.gov.bisp.nser.server.update.HouseholdListener;

/**
 * The DCI subscriptions and their notification outbox (issue 32), durable in the DCI journal ({@code dci} in the
 * update directory, fsynced before anything that depends on a record is answered): a subscription (kind
 * {@link #SUBSCRIBE}), its cancellation ({@link #UNSUBSCRIBE}), each household change the update service applied
 * ({@link #CHANGE}, journaled before the update is answered: {@link HouseholdListener}) and how far each
 * subscription's notifications have gone ({@link #DONE}). At start the journal is read again: the live subscriptions,
 * and for each the changes after the last one it was notified of, which are notified again (at least once). The updates the update journal replayed
 * past the last journaled change (a kill -9 between the two fsyncs) are journaled as changes then.
 *
 * <p>Each record carries its position {@code n} (a journal written before positions were carried reads its sequences
 * as positions): changes are known by it, a subscription's cursor is one, so compaction keeps them as they are. The
 * journal is compacted at start, and while the server runs once it holds more than {@code dci.journal_compact_slack}
 * records beyond what its state needs: on the state thread, with appends held for the rewrite, the records appended
 * whose effect the state thread has not applied yet written after the state ({@link #unapplied}), so nothing
 * acknowledged is left out; the rename steps are those of the compaction at start ({@link Compaction}).
 *
 * <p>Each subscription's notifications go one at a time, in change order (so in order per household), retried with
 * backoff until its receiver takes one ({@link Callbacks}), stopped by its cancellation or by its organisation's
 * agreement stopping. Matching, projection and the state live on one thread of their own, never an event loop.
 */
public final class Subscriptions implements HouseholdListener, AutoCloseable {

    static final int SUBSCRIBE = 1;
    static final int UNSUBSCRIBE = 2;
    static final int CHANGE = 3;
    static final int DONE = 4;
    /** Written by compaction: the state the dropped records left ({@code last_update}, the cancelled codes). */
    static final int STATE = 5;
    /** A journal whose records outnumber what its state needs by more than this is compacted at start. */
    static final int COMPACT_SLACK = 256;
    private static final Logger LOG = Logger.getLogger(Subscriptions.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A subscription live on the state thread: its cursor (the last change it is done with), whether one is sent. */
    private static final class Live {
        final Subscription s;
        long cursor;
        boolean sending;

        Live(Subscription s, long cursor) {
            this.s = s;
            this.cursor = cursor;
        }
    }

    /** The journal; replaced by an online compaction, under {@link #appendLock}. Null: unjournaled. */
    private volatile Journal journal;
    private final Path dir;
    /** Records beyond what the state needs that start an online compaction. */
    private final long slack;
    private final Object appendLock = new Object();
    /** The last position given (under {@link #appendLock} once open). */
    private long clock;
    /** Records the journal holds (under {@link #appendLock} once open). */
    private long records;
    /** Records left from a compaction that failed: the next is tried this many records later. */
    private long failedAt = -1;
    /**
     * Records appended (subscribe, unsubscribe, change) whose effect the state thread has not applied yet, by
     * position: an online compaction writes them after the state it takes, so none is lost.
     */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, Compaction.Record> unapplied =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dci-subscriptions");
        t.setDaemon(true);
        return t;
    });
    // owned by the state thread (and by open() before it is published)
    private final Map<String, Live> live = new LinkedHashMap<>();
    /** Codes cancelled, with their organisation. */
    private final Map<String, String> cancelled = new HashMap<>();
    private final TreeMap<Long, Change> changes = new TreeMap<>();
    private long lastUpdate;
    /** Subscriptions journaled for organisations not in the configuration: the journal is not compacted then. */
    private int orphans;
    /** Subscriptions live or being journaled: changes are journaled only while there is one. */
    private final AtomicInteger subscribers = new AtomicInteger();
    /** The live codes, for a notification about to be retried to ask whether it is still wanted (any thread). */
    private final java.util.Set<String> liveCodes = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Notifications notifications;
    private volatile Callbacks callbacks;
    private volatile Context context;
    private volatile boolean closed;
    /** The last update the listener was told of (written by the update thread alone). */
    private volatile long seenUpdate;
    /**
     * On a replica (updates known by their log position, which only grows): changes of updates up to this one are
     * journaled here, or came before every subscription, so an update the log applies again after a restart (from
     * the replica's checkpoint) is not journaled, and notified, a second time. Written by the update thread.
     */
    private volatile long journaledUpdate;
    private final boolean replica;

    private Subscriptions(Journal journal, Path dir, long slack, boolean replica) {
        this.journal = journal;
        this.dir = dir;
        this.slack = slack;
        this.replica = replica;
    }

    private static Journal openJournal(Path dir) throws IOException {
        return Journal.open(JournalOptions.defaults(dir).withFsyncIntervalMicros(0).withSegmentBytes(16L << 20)
                .withRingSize(4_096));
    }

    /**
     * The DCI journal's directory: {@code dci} in the update directory {@code updates}, whose journal sequences its
     * changes name (the update journal ignores it).
     */
    public static Path dir(Path updates) {
        return updates.resolve("dci");
    }

    /**
     * Opens (creating, recovering its torn tail) the DCI journal in {@code dir} and reads it back.
     *
     * @throws IOException when damage lost a record, or one cannot be read, naming it
     */
    public static Subscriptions open(Path dir, Map<String, Organisation> organisations) throws IOException {
        return open(dir, organisations, pk.gov.bisp.nser.server.config.DciOptions.DEFAULT_JOURNAL_COMPACT_SLACK,
                false);
    }

    /**
     * As {@link #open(Path, Map)}, compacted while running once the journal holds {@code slack} records more than its
     * state needs; on a {@code replica}, whose updates are known by their log position, an update applied again
     * after a restart is not journaled again.
     */
    public static Subscriptions open(Path dir, Map<String, Organisation> organisations, long slack, boolean replica)
            throws IOException {
        Compaction.finish(dir);
        Files.createDirectories(dir);
        Journal j = openJournal(dir);
        try {
            long[] records = {0};
            Subscriptions s = read(j, dir, organisations, records, slack, replica);
            // not while an organisation is missing from the configuration: its subscriptions would be dropped for good
            if (records[0] > s.needed() + COMPACT_SLACK && s.orphans == 0) { // delivered and cancelled records dropped (kill -9 safe)
                j.close();
                Compaction.rewrite(dir, s.image(), List.of());
                j = openJournal(dir);
                long[] after = {0};
                s = read(j, dir, organisations, after, slack, replica);
                LOG.info("DCI journal compacted at start: " + records[0] + " records to " + after[0]);
                records[0] = after[0];
            }
            s.records = records[0];
            s.journaledUpdate = s.lastUpdate;
            s.subscribers.set(s.live.size());
            s.liveCodes.addAll(s.live.keySet());
            LOG.info("DCI: " + s.live.size() + " subscriptions, " + s.changes.size() + " changes to notify; "
                    + j.recovery());
            return s;
        } catch (IOException | RuntimeException e) {
            j.close();
            throw e;
        }
    }

    /** The state journaled in {@code dir} (journal {@code j}, open on it); {@code records} counts what was read. */
    private static Subscriptions read(Journal j, Path dir, Map<String, Organisation> organisations, long[] records,
                                      long slack, boolean replica) throws IOException {
        j.recovery().requireNothingLost("DCI subscription", 0);
        Subscriptions s = new Subscriptions(j, dir, slack, replica);
        IOException[] bad = {null};
        JournalReader.read(dir, (seq, kind, data, off, len) -> {
            records[0]++;
            if (bad[0] == null) {
                try {
                    s.replay(seq, kind, JSON.readTree(data, off, len), organisations);
                } catch (IOException | RuntimeException e) {
                    bad[0] = new IOException("DCI journal " + dir + ", record " + seq + ": " + e.getMessage(), e);
                }
            }
        });
        if (bad[0] != null) {
            throw bad[0];
        }
        s.prune();
        return s;
    }

    /** Subscriptions kept in memory only (routing-only tests): lost at a restart. */
    public static Subscriptions unjournaled() {
        return new Subscriptions(null, null, Long.MAX_VALUE, false);
    }

    /** The records a compacted journal holds for this state: the state, each live subscription, the changes. */
    long needed() {
        return live.size() + changes.size() + 1;
    }

    /**
     * What rebuilds this state (for {@link Compaction}): the state record ({@code last_update}, the cancelled codes,
     * the last position given), each live subscription as journaled at its cursor (the position of the last change
     * it is done with), and the changes still to notify at their positions.
     */
    Compaction.Image image() {
        ObjectNode state = JSON.createObjectNode();
        state.put("last_update", lastUpdate);
        ObjectNode c = state.putObject("cancelled");
        cancelled.forEach(c::put);
        state.put("clock", clock);
        List<byte[]> subs = new ArrayList<>();
        Map<String, Long> cursors = new LinkedHashMap<>();
        for (Live l : live.values()) {
            subs.add(bytes(l.s.node(lastUpdate).put("n", l.cursor)));
            cursors.put(l.s.code(), l.cursor);
        }
        TreeMap<Long, byte[]> pending = new TreeMap<>();
        changes.forEach((n, change) -> pending.put(n, bytes(change(change).put("n", n))));
        return new Compaction.Image(bytes(state), subs, pending, cursors);
    }

    private void replay(long sequence, int kind, JsonNode n, Map<String, Organisation> organisations)
            throws IOException {
        long seq = n.has("n") ? n.path("n").asLong() : sequence; // its position (a journal's sequence before)
        clock = Math.max(clock, seq);
        switch (kind) {
            case STATE -> {
                clock = Math.max(clock, n.path("clock").asLong());
                lastUpdate = Math.max(lastUpdate, n.path("last_update").asLong());
                n.path("cancelled").properties().forEach(e -> cancelled.put(e.getKey(), e.getValue().asText()));
            }
            case SUBSCRIBE -> {
                lastUpdate = Math.max(lastUpdate, n.path("seen_update").asLong());
                try {
                    Subscription s = Subscription.decode(n, organisations);
                    live.put(s.code(), new Live(s, seq));
                } catch (IOException e) { // an organisation no longer configured: its subscription ends
                    orphans++;
                    LOG.warning("DCI journal record " + seq + " skipped: " + e.getMessage());
                }
            }
            case UNSUBSCRIBE -> {
                for (JsonNode c : n.path("codes")) {
                    Live l = live.remove(c.asText());
                    if (l != null) {
                        cancelled.put(c.asText(), l.s.user().organisation().id());
                    }
                }
            }
            case CHANGE -> {
                Change c = new Change(n.path("update").asLong(), n.path("ordinal").asInt(), n.path("household_id")
                        .asLong(), Kind.valueOf(n.path("kind").asText()), n.path("update_type").asText(),
                        Instant.parse(n.path("at").asText()));
                changes.put(seq, c);
                lastUpdate = Math.max(lastUpdate, c.sequence());
            }
            case DONE -> {
                Live l = live.get(n.path("code").asText());
                if (l != null) {
                    l.cursor = Math.max(l.cursor, n.path("change").asLong());
                }
            }
            default -> throw new IOException("kind " + kind + " is not a DCI record");
        }
    }

    /**
     * Starts notifying: {@code callbacks} send, {@code notifications} match and write; called once, by the
     * composition root.
     */
    public void deliverWith(Callbacks callbacks, Notifications notifications) {
        this.callbacks = callbacks;
        this.notifications = notifications;
        onThread(this::pumpAll);
    }

    /** The event-loop context access records of notifications are logged from (the first one offered is kept). */
    void useContext(Context c) {
        if (context == null && c != null) {
            context = c;
            onThread(this::pumpAll);
        }
    }

    // ------------------------------------------------------------------ changes (the update thread)

    @Override
    public void changed(Change change, Runnable durable) {
        seenUpdate = Math.max(seenUpdate, change.sequence());
        if (subscribers.get() == 0 || closed) {
            durable.run(); // nobody to notify
            return;
        }
        if (replica) {
            if (change.sequence() <= journaledUpdate) { // the log applied it again after a restart
                durable.run();
                return;
            }
            journaledUpdate = change.sequence();
        }
        append(CHANGE, change(change), new Completion() {
            @Override
            public void written(long seq) {
                durable.run();
                onThread(() -> added(seq, change));
            }

            @Override
            public void failed(Throwable cause) {
                LOG.log(Level.SEVERE, "the DCI journal did not take household change " + change.householdId()
                        + " (update " + change.sequence() + "); its subscribers are not notified", cause);
                durable.run();
            }
        });
    }

    @Override
    public void replayed(List<Change> replayed) {
        for (Change c : replayed) {
            seenUpdate = Math.max(seenUpdate, c.sequence());
            if (c.sequence() > lastUpdate && subscribers.get() > 0) { // applied, answered or not, never journaled here
                changed(c, () -> { });
            }
        }
    }

    private static ObjectNode change(Change c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("update", c.sequence()).put("ordinal", c.ordinal()).put("household_id", c.householdId())
                .put("kind", c.kind().name()).put("update_type", c.updateType()).put("at", c.at().toString());
        return n;
    }

    private void added(long seq, Change c) {
        changes.put(seq, c);
        unapplied.remove(seq);
        lastUpdate = Math.max(lastUpdate, c.sequence());
        pumpAll();
    }

    // ------------------------------------------------------------------ subscribing (event loops)

    /** The outcome of cancelling codes: those cancelled now, those cancelled before, those unknown. */
    record Cancelled(List<String> now, List<String> before, List<String> unknown) {
    }

    /**
     * Journals {@code subs} and makes them live; {@code done} is told (on the state thread) null once they are
     * durable, or the failure. A sub {@link Subscription#sameness same} as a live one of its organisation is not
     * added: {@code done} gets the codes of those, by sameness, first ({@code existing}).
     */
    void add(List<Subscription> subs, Consumer<Map<String, String>> existing, Consumer<Throwable> done) {
        subscribers.addAndGet(subs.size());
        onThread(() -> {
            Map<String, String> same = new HashMap<>();
            for (Live l : live.values()) {
                same.put(l.s.sameness(), l.s.code());
            }
            Map<String, String> found = new HashMap<>();
            List<Subscription> fresh = new ArrayList<>();
            for (Subscription s : subs) {
                if (same.containsKey(s.sameness())) {
                    found.put(s.sameness(), same.get(s.sameness()));
                } else {
                    fresh.add(s);
                }
            }
            subscribers.addAndGet(fresh.size() - subs.size());
            existing.accept(found);
            if (fresh.isEmpty()) {
                done.accept(null);
                return;
            }
            int[] left = {fresh.size()};
            Throwable[] failure = {null};
            for (Subscription s : fresh) {
                append(SUBSCRIBE, s.node(seenUpdate), new Completion() {
                    @Override
                    public void written(long seq) {
                        onThread(() -> {
                            live.put(s.code(), new Live(s, seq));
                            unapplied.remove(seq);
                            liveCodes.add(s.code());
                            if (--left[0] == 0) {
                                done.accept(failure[0]);
                            }
                        });
                    }

                    @Override
                    public void failed(Throwable cause) {
                        subscribers.decrementAndGet();
                        onThread(() -> {
                            failure[0] = cause;
                            if (--left[0] == 0) {
                                done.accept(failure[0]);
                            }
                        });
                    }
                });
            }
        });
    }

    /** Cancels the codes of {@code organisation} among {@code codes}; {@code done} is told once that is durable. */
    void cancel(String organisation, List<String> codes, Consumer<Cancelled> done, Consumer<Throwable> failed) {
        onThread(() -> {
            List<String> now = new ArrayList<>();
            List<String> before = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            for (String c : codes) {
                Live l = live.get(c);
                if (l != null && l.s.user().organisation().id().equals(organisation)) {
                    if (!now.contains(c)) {
                        now.add(c);
                    }
                } else if (organisation.equals(cancelled.get(c))) {
                    before.add(c);
                } else {
                    unknown.add(c);
                }
            }
            Cancelled result = new Cancelled(now, before, unknown);
            if (now.isEmpty()) {
                done.accept(result);
                return;
            }
            ObjectNode n = JSON.createObjectNode();
            now.forEach(n.putArray("codes")::add);
            append(UNSUBSCRIBE, n, new Completion() {
                @Override
                public void written(long seq) {
                    onThread(() -> {
                        for (String c : now) {
                            if (live.remove(c) != null) {
                                subscribers.decrementAndGet();
                            }
                            liveCodes.remove(c);
                            cancelled.put(c, organisation);
                        }
                        unapplied.remove(seq);
                        prune();
                        maybeCompact();
                        done.accept(result);
                    });
                }

                @Override
                public void failed(Throwable cause) {
                    failed.accept(cause);
                }
            });
        });
    }

    // ------------------------------------------------------------------ notifying (the state thread)

    private void pumpAll() {
        for (Live l : live.values()) {
            pump(l);
        }
    }

    /** Sends {@code l}'s next notification, if it has one and none is on its way. */
    private void pump(Live l) {
        Notifications n = notifications;
        Callbacks c = callbacks;
        Context ctx = context;
        if (l.sending || closed || n == null || c == null || ctx == null) {
            return;
        }
        for (Map.Entry<Long, Change> e = changes.higherEntry(l.cursor); e != null; e = changes.higherEntry(l.cursor)) {
            Notifications.Notice notice;
            try {
                notice = n.notice(l.s, e.getValue());
            } catch (RuntimeException ex) {
                LOG.log(Level.SEVERE, "DCI notification of subscription " + l.s.code() + " about household "
                        + e.getValue().householdId() + " could not be made; passed over", ex);
                notice = Notifications.NONE;
            }
            if (notice == null) { // the registry is not ready: try again shortly
                later(() -> pump(l));
                return;
            }
            if (notice == Notifications.NONE) {
                l.cursor = e.getKey();
                continue;
            }
            long seq = e.getKey();
            l.sending = true;
            String code = l.s.code();
            c.send(new Callbacks.Delivery(l.s.notifyUrl(), notice.body(), l.s.user(), "search", 1, notice.classes(),
                    -1, "registry", List.of(), ctx, () -> liveCodes.contains(code)), Integer.MAX_VALUE,
                    status -> onThread(() -> sent(l, seq)));
            return;
        }
        prune();
    }

    private void sent(Live l, long seq) {
        l.sending = false;
        l.cursor = Math.max(l.cursor, seq);
        if (live.get(l.s.code()) == l) {
            ObjectNode n = JSON.createObjectNode();
            n.put("code", l.s.code()).put("change", seq);
            append(DONE, n, seq2 -> { }); // lost with a crash: notified again, at least once
            pump(l);
        }
        prune();
        maybeCompact();
    }

    /** Forgets the changes every live subscription is done with. */
    private void prune() {
        long min = Long.MAX_VALUE;
        for (Live l : live.values()) {
            min = Math.min(min, l.cursor);
        }
        changes.headMap(min, true).clear();
    }

    private void later(Runnable r) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            onThread(r);
        }, "dci-subscriptions-wait");
        t.setDaemon(true);
        t.start();
    }

    // ------------------------------------------------------------------ plumbing

    /**
     * Appends {@code record} at the next position, which it gains as {@code n} and {@code done} is told (never the
     * journal's sequence). A subscription, cancellation or change is {@link #unapplied} until its effect is applied.
     */
    private void append(int kind, ObjectNode record, Completion done) {
        long n;
        synchronized (appendLock) {
            n = ++clock;
            record.put("n", n);
            Journal j = journal;
            if (j != null) {
                byte[] payload = bytes(record);
                boolean tracked = kind != DONE;
                if (tracked) {
                    unapplied.put(n, new Compaction.Record(kind, payload));
                }
                records++;
                j.append(kind, payload, 0, payload.length, new Completion() {
                    @Override
                    public void written(long sequence) {
                        done.written(n);
                    }

                    @Override
                    public void failed(Throwable cause) {
                        if (tracked) {
                            unapplied.remove(n);
                        }
                        done.failed(cause);
                    }
                });
                return;
            }
        }
        done.written(n); // unjournaled
    }

    /** Compacts the journal while running (state thread) once it holds {@link #slack} records beyond its state's. */
    private void maybeCompact() {
        long held;
        synchronized (appendLock) {
            held = records;
        }
        if (journal == null || closed || orphans > 0 || held <= needed() + unapplied.size() + slack
                || failedAt >= 0 && held < failedAt + slack) {
            return;
        }
        compact();
    }

    /**
     * Rewrites the journal as the state now and the records appended whose effect is still to come (those are applied
     * after this, by tasks queued behind it on the state thread); appends wait meanwhile.
     */
    void compact() {
        synchronized (appendLock) {
            if (closed || journal == null) {
                return;
            }
            long before = records;
            long started = System.nanoTime();
            try {
                journal.close(); // every record appended is written, and its completion told
            } catch (IOException e) {
                LOG.log(Level.WARNING, "DCI journal: closing it to compact: " + e, e);
            }
            List<Compaction.Record> tail = new ArrayList<>(unapplied.values());
            Compaction.Image image = image();
            try {
                Compaction.rewrite(dir, image, tail);
                records = 1L + image.subscriptions().size() + image.changes().size() + tail.size();
                failedAt = -1;
                LOG.info("DCI journal compacted while running: " + before + " records to " + records + " in "
                        + (System.nanoTime() - started) / 1_000_000 + " ms (appends held)");
            } catch (IOException | RuntimeException e) {
                failedAt = before;
                LOG.log(Level.SEVERE, "the DCI journal could not be compacted; it goes on as it was", e);
                try {
                    Compaction.finish(dir); // the old journal back, or the complete new one in its place
                } catch (IOException e2) {
                    LOG.log(Level.SEVERE, "DCI journal " + dir + ": " + e2, e2);
                }
            }
            try {
                journal = openJournal(dir);
            } catch (IOException e) { // the closed journal stays: appends are refused, and logged, from now on
                LOG.log(Level.SEVERE, "the DCI journal could not be opened again after compacting: household "
                        + "changes are no longer journaled for notification until a restart", e);
            }
        }
    }

    private void onThread(Runnable r) {
        try {
            thread.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "DCI subscriptions: " + e, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops notifying and closes the journal (after the update service, whose last changes it journals). */
    @Override
    public void close() throws IOException {
        closed = true;
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (appendLock) {
            if (journal != null) {
                journal.close();
            }
        }
    }
}

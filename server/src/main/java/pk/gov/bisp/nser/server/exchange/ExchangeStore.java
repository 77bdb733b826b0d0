package pk.gov.bisp.nser.server.exchange;

import io.vertx.core.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import pk.gov.bisp.nser.core.journal.Completion;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.core.journal.JournalClosedException;
import pk.gov.bisp.nser.core.journal.JournalOptions;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.core.journal.RecoveryReport;
import pk.gov.bisp.nser.core.query.LiveSets;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.cluster.ReplicatedBatches;
import pk.gov.bisp.nser.server.cluster.SharedLog;
import pk.gov.bisp.nser.server.eligibility.Programme;
import pk.gov.bisp.nser.server.http.IdempotencyClaims;
import pk.gov.bisp.nser.server.update.HouseholdListener;

/**
 * The exchange journal and the state derived from it ({@link ExchangeState}). A batch is appended as one record to
 * a journal that fsyncs every write before completing it; only then is it applied (on the journal thread, in journal
 * order) and acknowledged. At open the journal is recovered (a torn tail cut) and replayed, Idempotency-Keys with it.
 * As {@link LiveSets} it gives the query engine the programmes' enrolled households.
 */
public final class ExchangeStore implements LiveSets, AutoCloseable {

    /**
     * How a batch was answered. Every method runs on the context given to {@link #append}: accepted once journaled
     * (fsynced) and applied; refused when nothing was stored.
     */
    public interface Answer extends IdempotencyClaims.Answer {
    }

    private final Journal journal;
    private final ExchangeState state;
    private final int maxPayload;
    private final IdempotencyClaims claims = new IdempotencyClaims();
    private long replayed;
    private volatile RescoreListener rescores;
    /** The log records of exchange batches (the journal's JSON, {@link ExchangeCodec}). */
    static final String LOG_KIND = "exchange";
    /** On a replica: batches go through the replicated log (issue 27); null on a single server. */
    private ReplicatedBatches<ExchangeBatch> replicated;
    /** On a replica: the last log position this journal holds a batch of. */
    private volatile long logPosition;

    private ExchangeStore(Journal journal, ExchangeState state, int maxPayload) {
        this.journal = journal;
        this.state = state;
        this.maxPayload = maxPayload;
    }

    /**
     * Opens (creating, recovering) the journal in {@code dir} and replays it; refuses a journal that lost batches to
     * damage (each was acknowledged once fsynced).
     *
     * @param programmes the partner programmes (every id any agreement names)
     */
    public static ExchangeStore open(Path dir, long segmentBytes, Set<String> programmes) throws IOException {
        return open(dir, segmentBytes, programmes, null);
    }

    /**
     * As {@link #open(Path, long, Set)}; on a replica ({@code log} not null) every batch goes through the replicated
     * log, and every replica applies the log's batches in its order, journaling each here with its position: an
     * enrolment posted to one replica is in every replica's filters and feed.
     */
    public static ExchangeStore open(Path dir, long segmentBytes, Set<String> programmes, SharedLog log)
            throws IOException {
        ExchangeStore s = open0(dir, segmentBytes, programmes);
        if (log != null) {
            s.replicated = new ReplicatedBatches<>(log, LOG_KIND, "nser-exchange-timeouts", s.new Logged());
        }
        return s;
    }

    private static ExchangeStore open0(Path dir, long segmentBytes, Set<String> programmes) throws IOException {
        JournalOptions o = JournalOptions.defaults(dir).withSegmentBytes(segmentBytes).withFsyncIntervalMicros(0);
        Journal j = Journal.open(o);
        try {
            j.recovery().requireNothingLost("partner exchange", 0);
            ExchangeStore s = new ExchangeStore(j, new ExchangeState(programmes), o.maxPayload());
            s.replay(dir);
            return s;
        } catch (IOException | RuntimeException e) {
            j.close();
            throw e;
        }
    }

    /** A store with no journal (routing-only tests): every batch is refused, nothing is enrolled. */
    public static ExchangeStore unavailable(Set<String> programmes) {
        return new ExchangeStore(null, new ExchangeState(programmes), Integer.MAX_VALUE);
    }

    private void replay(Path dir) throws IOException {
        IOException[] bad = new IOException[1];
        replayed = JournalReader.read(dir, (seq, kind, data, off, len) -> {
            if (bad[0] != null) {
                return;
            }
            try {
                if (kind == ExchangeCodec.RESCORE) {
                    state.apply(ExchangeCodec.decodeRescore(data, off, len));
                    return;
                }
                ExchangeBatch b;
                if (kind == ExchangeCodec.LOGGED && len >= Long.BYTES) { // applied from the replicated log
                    logPosition = Math.max(logPosition, java.nio.ByteBuffer.wrap(data, off, Long.BYTES).getLong());
                    b = ExchangeCodec.decode(data, off + Long.BYTES, len - Long.BYTES);
                } else if (kind == ExchangeCodec.KIND) {
                    b = ExchangeCodec.decode(data, off, len);
                } else {
                    throw new IOException("kind " + kind + " is neither an exchange batch (" + ExchangeCodec.KIND
                            + ", " + ExchangeCodec.LOGGED + ") nor a rescore (" + ExchangeCodec.RESCORE + ")");
                }
                state.apply(b);
                if (b.idempotencyKey() != null) {
                    claims.replayed(b.organisation(), b.idempotencyKey(), b.fingerprint(), b.size(), seq);
                }
            } catch (IOException e) {
                bad[0] = new IOException("exchange journal " + dir + ", record " + seq + ": " + e.getMessage(), e);
            }
        }).records();
        if (bad[0] != null) {
            throw bad[0];
        }
    }

    /**
     * Whether this store is a replica's, whose updates are known by their update log position (which only grows):
     * an update the log applies again after a restart is then one the rescores have looked at already.
     */
    boolean onLog() {
        return replicated != null;
    }

    /** Makes the enrolment bitmaps over the snapshot (before it is served: the registry's before-ready step). */
    public void attach(Snapshot s) {
        state.attach(s);
        RescoreListener l = rescores;
        if (l != null) {
            l.attached(s); // the updates replayed past the last rescore the journal holds
        }
    }

    /**
     * The update service's listener that gives each programme enrolling a household an entry in its feed when a live
     * update changes the household's PMT band or its eligibility for that programme; one per store.
     *
     * @param programmes every configured programme, by id (eligibility for those the registry has a rule for)
     * @param today      today's date, for ages
     */
    public synchronized HouseholdListener rescores(Map<String, Programme> programmes, Supplier<LocalDate> today) {
        if (rescores == null) {
            rescores = new RescoreListener(this, new RegistryStatus(programmes, today));
        }
        return rescores;
    }

    /**
     * Journals a rescore (fsynced), then applies it (the feeds gain their entries) and runs {@code done}; on failure
     * {@code done} gets the cause and nothing is applied. {@code done} runs on the journal's thread.
     */
    void append(Rescore r, Consumer<Throwable> done) {
        if (journal == null) {
            done.accept(new JournalClosedException(Path.of("(no exchange journal)")));
            return;
        }
        byte[] bytes = ExchangeCodec.encode(r);
        journal.append(ExchangeCodec.RESCORE, bytes, 0, bytes.length, new Completion() {
            @Override
            public void written(long sequence) {
                state.apply(r);
                done.accept(null);
            }

            @Override
            public void failed(Throwable cause) {
                done.accept(cause);
            }
        });
    }

    /** What opening the journal found (null when there is none), and the batches replayed. */
    public String recovery() {
        RecoveryReport r = journal == null ? null : journal.recovery();
        return r + "; " + replayed + " records replayed, " + state.head() + " feed entries";
    }

    ExchangeState state() {
        return state;
    }

    @Override
    public Set<String> programmes() {
        return state.programmes();
    }

    @Override
    public ImmutableRoaringBitmap bitmap(String name) {
        return state.bitmap(name);
    }

    @Override
    public ImmutableRoaringBitmap any() {
        return state.any();
    }

    /**
     * Journals {@code batch}; once fsynced it is applied and answered accepted with the record's sequence. A batch
     * whose Idempotency-Key this organisation used before is not journaled again: it gets the first answer (once
     * that one is written), or {@link Answer#reused} if it is another request. A batch that cannot be journaled is
     * refused, nothing is applied, and its key is free again.
     *
     * @throws IllegalArgumentException if the encoded batch is larger than one journal record may be
     */
    public void append(ExchangeBatch batch, Context context, Answer answer) {
        byte[] bytes = ExchangeCodec.encode(batch);
        if (bytes.length > maxPayload) {
            throw new IllegalArgumentException("the batch takes " + bytes.length + " bytes in the journal; at most "
                    + maxPayload + " fit in one record");
        }
        if (replicated != null) {
            replicated.submit(batch, bytes, context, answer);
            return;
        }
        Completion done = claims.journaling(batch.organisation(), batch.idempotencyKey(), batch.fingerprint(),
                batch.size(), context, answer, () -> state.apply(batch));
        if (done == null) {
            return; // answered from the earlier claim on its Idempotency-Key
        }
        if (journal == null) {
            done.failed(new JournalClosedException(Path.of("(no exchange journal)")));
            return;
        }
        journal.append(ExchangeCodec.KIND, bytes, 0, bytes.length, done);
    }

    /**
     * On a replica, on the thread that applies the log: {@code batch} (encoded as {@code bytes}) at {@code position},
     * journaled here with its position (fsynced), then applied; nothing when this journal holds it already.
     */
    private void applyLogged(ExchangeBatch batch, byte[] bytes, long position) {
        if (position <= logPosition) {
            return;
        }
        ReplicatedBatches.journal(journal, ExchangeCodec.LOGGED, position, bytes, "exchange batch");
        state.apply(batch);
        logPosition = position;
    }

    /** The exchange batches as the replicated log carries them. */
    private final class Logged implements ReplicatedBatches.Batches<ExchangeBatch> {
        @Override
        public ExchangeBatch decode(byte[] value) throws IOException {
            return ExchangeCodec.decode(value, 0, value.length);
        }

        @Override
        public IdempotencyClaims claims() {
            return claims;
        }

        @Override
        public void applyLogged(ExchangeBatch b, byte[] value, long position) {
            ExchangeStore.this.applyLogged(b, value, position);
        }
    }

    /** Writes what is queued, fsyncs and closes the journal; later batches are refused. */
    @Override
    public void close() throws IOException {
        if (replicated != null) {
            replicated.close();
        }
        RescoreListener l = rescores;
        if (journal != null && l != null && l.seen() > state.lastUpdate()) { // how far the updates were looked at
            byte[] mark = ExchangeCodec.encode(new Rescore(l.seen(), System.currentTimeMillis(), 0, List.of()));
            journal.append(ExchangeCodec.RESCORE, mark, 0, mark.length, seq -> { });
        }
        if (journal != null) {
            journal.close();
        }
    }
}

package pk.gov.bisp.nser.benchmarks.state;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.server.exchange.Enrolment;
import pk.gov.bisp.nser.server.exchange.ExchangeBatch;
import pk.gov.bisp.nser.server.exchange.ExchangeStore;

/**
 * The partner exchange as the server opens it: an {@link ExchangeStore} (its journal fsyncing every batch) in a fresh
 * directory under {@code target/bench-exchange} (or {@code -Dnser.bench.dir}; on the disk, not a tmpfs, so fsync is
 * real), attached to the snapshot, with {@code enrolled} households (distinct, drawn at random, seed 7) enrolled
 * through it beforehand, spread round-robin over the seven partner programmes of the annual report. Deleted after the
 * trial.
 */
@State(Scope.Benchmark)
public class PartnerSets {

    /** The seven partner programmes of seed 003 (Bait-ul-Mal first). */
    public static final List<String> PROGRAMMES = List.of("pbm", "npgp", "sehat", "pspa", "ppaf", "fdkp", "usc");
    public static final LocalDate DATE = LocalDate.of(2026, 11, 1);
    private static final int PREFILL_BATCH = 1_000;

    /** Households enrolled before the measurement. */
    @Param({"100000"})
    public int enrolled;

    public Path dir;
    public Vertx vertx;
    public Context context;
    public ExchangeStore store;
    private final AtomicLong keys = new AtomicLong();

    @Setup(Level.Trial)
    public void open(SnapshotState s) throws Exception {
        Path base = Path.of(System.getProperty("nser.bench.dir", "target")).resolve("bench-exchange");
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "exchange-");
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        store = ExchangeStore.open(dir, 64L << 20, Set.copyOf(PROGRAMMES));
        store.attach(s.snap);
        int n = Math.min(enrolled, s.snap.householdCount());
        int[] ordinals = new SplittableRandom(7).ints(0, s.snap.householdCount()).distinct().limit(n).toArray();
        HouseholdRecord r = new HouseholdRecord();
        List<Enrolment> batch = new ArrayList<>(PREFILL_BATCH);
        for (int i = 0; i < n; i++) {
            s.snap.read(ordinals[i], r);
            batch.add(new Enrolment(r.householdId(), -1, PROGRAMMES.get(i % PROGRAMMES.size()), Enrolment.ENROLLED,
                    DATE));
            if (batch.size() == PREFILL_BATCH || i == n - 1) {
                post(batch);
                batch.clear();
            }
        }
    }

    /** Journals (fsynced) and applies the enrolments as one batch with a fresh Idempotency-Key; its sequence. */
    public long post(List<Enrolment> enrolments) throws Exception {
        String key = "bench-" + keys.incrementAndGet();
        ExchangeBatch b = new ExchangeBatch(key, System.currentTimeMillis(), "bench", "bench", enrolments, List.of(),
                key, key);
        CompletableFuture<Long> done = new CompletableFuture<>();
        store.append(b, context, new ExchangeStore.Answer() {
            @Override
            public void accepted(long sequence, int items, boolean replayed) {
                done.complete(sequence);
            }

            @Override
            public void reused() {
                done.completeExceptionally(new IllegalStateException("key " + key + " reused"));
            }

            @Override
            public void refused(Throwable cause) {
                done.completeExceptionally(cause);
            }
        });
        return done.get();
    }

    /** Households enrolled now in {@code programme}. */
    public long enrolledIn(String programme) {
        return store.bitmap(pk.gov.bisp.nser.core.index.Dimensions.PROGRAMME.bitmapName(programme))
                .getLongCardinality();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        store.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}

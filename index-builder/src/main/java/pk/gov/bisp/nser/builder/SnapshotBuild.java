package pk.gov.bisp.nser.builder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.SchoolStatus;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.SnapshotWriter;

/**
 * Turns households (in geographic order) into a snapshot using both cores: a producer thread runs the source,
 * encodes each household and scores it with the PMT model; the calling thread appends the records to the
 * {@link SnapshotWriter} (Chronicle Map puts, indexes). An error on either side stops both and is rethrown.
 */
public final class SnapshotBuild {

    /** A source of households: calls the sink once per household, in geographic order. */
    @FunctionalInterface
    public interface Source {
        void run(Consumer<Household> sink) throws Exception;
    }

    /** Where scores and programme status come from. */
    public enum Mode {
        /** Score with the model; set UCT/CCT status from the score (synthetic data). */
        SYNTHETIC,
        /** Score with the model; keep the input's programme status. */
        RESCORE,
        /** Keep the input's scores (model version 0, "imported") and programme status. */
        KEEP_SCORES
    }

    private static final int BATCH = 2_048;
    private static final List<byte[]> END = new ArrayList<>();

    private final SnapshotWriter writer;
    private final StringDictionary dictionary;
    private final PmtModel model;
    private final Mode mode;
    private final Progress progress;

    public SnapshotBuild(SnapshotWriter writer, StringDictionary dictionary, PmtModel model, Mode mode,
                         Progress progress) {
        this.writer = writer;
        this.dictionary = dictionary;
        this.model = model;
        this.mode = mode;
        this.progress = progress;
    }

    public Manifest run(Source source) throws Exception {
        BlockingQueue<List<byte[]>> queue = new ArrayBlockingQueue<>(64);
        Throwable[] failure = new Throwable[1];
        Thread producer = new Thread(() -> produce(source, queue, failure), "nser-build-producer");
        producer.setDaemon(true);
        producer.start();
        HouseholdRecord r = new HouseholdRecord();
        try {
            while (true) {
                List<byte[]> batch = queue.take();
                if (batch == END) {
                    break;
                }
                for (byte[] rec : batch) {
                    writer.append(r.wrap(rec, rec.length));
                }
                progress.add(batch.size());
            }
        } catch (RuntimeException e) {
            producer.interrupt();
            throw e;
        }
        producer.join();
        if (failure[0] != null) {
            if (failure[0] instanceof Exception e) {
                throw e;
            }
            throw new IllegalStateException(failure[0]);
        }
        progress.finish();
        return writer.finish(Progress.steps());
    }

    private void produce(Source source, BlockingQueue<List<byte[]>> queue, Throwable[] failure) {
        byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
        HouseholdRecord r = new HouseholdRecord();
        PmtInputs scratch = PmtModel.newScratch();
        List<byte[]> batch = new ArrayList<>(BATCH);
        try {
            source.run(h -> {
                int len = HouseholdCodec.encode(h, dictionary, buf);
                r.wrap(buf, len);
                if (mode != Mode.KEEP_SCORES) {
                    int score = model.rescore(r, scratch);
                    if (mode == Mode.SYNTHETIC) {
                        assignProgrammes(r, score);
                    }
                }
                batch.add(r.toByteArray());
                if (batch.size() == BATCH) {
                    put(queue, List.copyOf(batch));
                    batch.clear();
                }
            });
            put(queue, List.copyOf(batch));
        } catch (Throwable t) {
            failure[0] = t;
        } finally {
            try {
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void put(BlockingQueue<List<byte[]>> queue, List<byte[]> batch) {
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("build interrupted", e);
        }
    }

    /**
     * Synthetic programme status: about 92% of households eligible for the cash transfer (PMT below 32, or below
     * 37 with a disabled member) receive it; 70% of those with a child in school also get the education CCT.
     * Deterministic per household id.
     */
    static void assignProgrammes(HouseholdRecord r, int score) {
        boolean disabled = false;
        boolean enrolled = false;
        for (int i = 0; i < r.memberCount(); i++) {
            disabled |= r.disability(i) != Disability.NONE;
            enrolled |= r.schoolStatus(i) == SchoolStatus.ENROLLED;
        }
        boolean eligible = score < 3_200 || disabled && score < 3_700;
        long h = mix(r.householdId());
        boolean uct = eligible && Long.remainderUnsigned(h, 100) < 92;
        boolean cct = uct && enrolled && Long.remainderUnsigned(h >>> 8, 100) < 70;
        r.setProgrammes(uct, cct);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    /** For callers that must close a writer on failure. */
    public static void closeQuietly(SnapshotWriter w, Exception cause) {
        try {
            w.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}

package pk.gov.bisp.nser.builder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.SnapshotWriter;

/**
 * Builds a synthetic snapshot on every core from a source made of independent chunks (a registry's tehsils):
 * worker threads make, encode and score whole chunks, each against a dictionary of its own, and set the programme
 * status from the score ({@link SnapshotBuild.Mode#SYNTHETIC}); the calling thread takes the chunks in order,
 * re-points their strings at the snapshot's dictionary in record order ({@link HouseholdCodec#remapStrings}) and
 * appends them. A chunk depends only on its number and the records reach the writer in order, so the snapshot is
 * the same byte for byte whatever the number of threads. At most {@code 2 * threads + 2} chunks are held at once.
 */
public final class ChunkedBuild {

    /** Households in independent chunks: chunk k's depend only on k; the chunks in order are geographic order. */
    public interface Source {
        int chunks();

        /** Calls {@code sink} once per household of chunk {@code chunk}, in order. */
        void run(int chunk, Consumer<Household> sink);
    }

    private record Chunk(List<byte[]> records, StringDictionary strings) {
    }

    private final SnapshotWriter writer;
    private final StringDictionary dictionary;
    private final PmtModel model;
    private final Progress progress;
    private final int threads;

    public ChunkedBuild(SnapshotWriter writer, StringDictionary dictionary, PmtModel model, Progress progress,
                        int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads=" + threads + " must be at least 1");
        }
        this.writer = writer;
        this.dictionary = dictionary;
        this.model = model;
        this.progress = progress;
        this.threads = threads;
    }

    public Manifest run(Source source) throws Exception {
        int n = source.chunks();
        AtomicReferenceArray<Chunk> made = new AtomicReferenceArray<>(n);
        Semaphore window = new Semaphore(2 * threads + 2);
        AtomicInteger next = new AtomicInteger();
        Throwable[] failure = new Throwable[1];
        Object ready = new Object();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> work(source, n, made, window, next, failure, ready), "nser-generate-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        try {
            HouseholdRecord r = new HouseholdRecord();
            for (int k = 0; k < n; k++) {
                Chunk c = take(made, k, failure, ready);
                append(c, r);
                window.release();
                progress.add(c.records().size());
            }
        } finally {
            for (Thread w : workers) {
                w.interrupt();
            }
            for (Thread w : workers) {
                w.join();
            }
        }
        progress.finish();
        return writer.finish(Progress.steps());
    }

    private void append(Chunk c, HouseholdRecord r) {
        int[] ids = new int[c.strings().size()];
        Arrays.fill(ids, -1);
        for (byte[] rec : c.records()) {
            HouseholdCodec.remapStrings(rec, local -> {
                int id = ids[local];
                if (id < 0) {
                    id = dictionary.idOf(c.strings().get(local));
                    ids[local] = id;
                }
                return id;
            });
            writer.append(r.wrap(rec, rec.length));
        }
    }

    private static Chunk take(AtomicReferenceArray<Chunk> made, int k, Throwable[] failure, Object ready)
            throws Exception {
        synchronized (ready) {
            while (made.get(k) == null) {
                Throwable t = failure[0];
                if (t instanceof Exception e) {
                    throw e;
                }
                if (t != null) {
                    throw new IllegalStateException(t);
                }
                ready.wait();
            }
        }
        return made.getAndSet(k, null);
    }

    private void work(Source source, int n, AtomicReferenceArray<Chunk> made, Semaphore window, AtomicInteger next,
                      Throwable[] failure, Object ready) {
        try {
            while (true) {
                window.acquire();
                int k = next.getAndIncrement();
                if (k >= n) {
                    return;
                }
                made.set(k, make(source, k));
                synchronized (ready) {
                    ready.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            // the build is over, or failed elsewhere
        } catch (Throwable t) {
            synchronized (ready) {
                if (failure[0] == null) {
                    failure[0] = t;
                }
                ready.notifyAll();
            }
        }
    }

    private Chunk make(Source source, int k) {
        StringDictionary strings = StringDictionary.empty();
        byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
        HouseholdRecord r = new HouseholdRecord();
        PmtInputs scratch = PmtModel.newScratch();
        List<byte[]> records = new ArrayList<>();
        source.run(k, h -> {
            r.wrap(buf, HouseholdCodec.encode(h, strings, buf));
            SnapshotBuild.assignProgrammes(r, model.rescore(r, scratch));
            records.add(r.toByteArray());
        });
        return new Chunk(records, strings);
    }
}

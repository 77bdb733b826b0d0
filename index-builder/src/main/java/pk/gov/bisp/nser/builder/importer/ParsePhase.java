package pk.gov.bisp.nser.builder.importer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The read phase's threads: one reads the inputs and cuts them into households, in chunks; every core parses a
 * chunk at a time; the calling thread takes the outcomes back in input order. The chunks in flight are bounded (four
 * a parsing thread), so memory does not grow with the input, and a slow consumer holds the reader back.
 */
final class ParsePhase {

    /** Receives each household's outcome, in input order, on the calling thread. */
    interface Sink {
        void accept(UnitParser.Outcome outcome) throws IOException;
    }

    private static final int CHUNK = 256;

    private final List<ImportInput> inputs;
    private final ImportFormat format;
    private final int threads;
    private final ThreadLocal<UnitParser> parsers;
    private final AtomicLong bytesRead;
    private volatile Exception readFailure;

    ParsePhase(List<ImportInput> inputs, ImportFormat format, int threads, Supplier<UnitParser> parser,
               AtomicLong bytesRead) {
        this.inputs = inputs;
        this.format = format;
        this.threads = threads;
        this.parsers = ThreadLocal.withInitial(parser);
        this.bytesRead = bytesRead;
    }

    /** Reads and parses everything; {@code sink} gets each outcome, {@code afterChunk} runs after each chunk. */
    void run(Sink sink, Runnable afterChunk) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "nser-import-parse");
            t.setDaemon(true);
            return t;
        });
        BlockingQueue<Future<List<UnitParser.Outcome>>> pending = new ArrayBlockingQueue<>(threads * 4);
        Future<List<UnitParser.Outcome>> end = CompletableFuture.completedFuture(null);
        Thread reader = new Thread(() -> readAll(pool, pending, end), "nser-import-read");
        reader.setDaemon(true);
        reader.start();
        try {
            while (true) {
                Future<List<UnitParser.Outcome>> f = pending.take();
                if (f == end) {
                    break;
                }
                for (UnitParser.Outcome outcome : get(f)) {
                    sink.accept(outcome);
                }
                afterChunk.run();
            }
            reader.join();
            if (readFailure != null) {
                throw readFailure;
            }
        } finally {
            reader.interrupt();
            pool.shutdownNow();
        }
    }

    private void readAll(ExecutorService pool, BlockingQueue<Future<List<UnitParser.Outcome>>> pending,
                         Future<List<UnitParser.Outcome>> end) {
        List<Unit> chunk = new ArrayList<>(CHUNK);
        try {
            new UnitReader(inputs, format, bytesRead).run(u -> {
                chunk.add(u);
                if (chunk.size() == CHUNK) {
                    pending.put(submit(pool, List.copyOf(chunk)));
                    chunk.clear();
                }
            });
            pending.put(submit(pool, List.copyOf(chunk)));
        } catch (Exception e) {
            readFailure = e;
        } finally {
            try {
                pending.put(end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Future<List<UnitParser.Outcome>> submit(ExecutorService pool, List<Unit> units) {
        return pool.submit(() -> {
            UnitParser p = parsers.get();
            List<UnitParser.Outcome> out = new ArrayList<>(units.size());
            for (Unit u : units) {
                out.add(p.parse(u));
            }
            return out;
        });
    }

    private static <T> T get(Future<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }
}

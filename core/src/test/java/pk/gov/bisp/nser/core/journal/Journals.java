package pk.gov.bisp.nser.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Test helpers: appending and waiting, reading back into comparable values. */
final class Journals {

    /** A record as read back; the payload as an ISO-8859-1 string so that records compare by content. */
    record Rec(long sequence, int kind, String payload) {
    }

    private Journals() {
    }

    /** A deterministic payload of {@code size} bytes for record {@code i}. */
    static String payload(int i, int size) {
        StringBuilder s = new StringBuilder("r" + i + ":");
        while (s.length() < size) {
            s.append((char) ('a' + (i + s.length()) % 26));
        }
        return s.substring(0, size);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A completion as a future of the sequence. */
    static class Future extends CompletableFuture<Long> implements Completion {

        private volatile Throwable failure;

        @Override
        public void written(long sequence) {
            complete(sequence);
        }

        @Override
        public void failed(Throwable cause) {
            failure = cause;
            completeExceptionally(cause);
        }

        /** Why it failed; null if it did not (yet). */
        Throwable failure() {
            return failure;
        }
    }

    /**
     * Opens a journal with {@code o} and appends {@code perThread} records from each of {@code threads} threads
     * (named {@code appender-N}; {@link #appendFrom} with {@code drainEvery}), then closes it and checks that every
     * record was completed exactly once, completions in sequence order, and that the files hold exactly what was
     * appended. Returns the threads that ran the completions.
     */
    static Set<Thread> appendFromThreads(JournalOptions o, int threads, int perThread, int drainEvery)
            throws Exception {
        List<Long> callOrder = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Rec> appended = new java.util.concurrent.CopyOnWriteArrayList<>();
        Set<Thread> completers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (Journal j = Journal.open(o)) {
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(new Thread(() -> appended.addAll(appendFrom(j, id, perThread, callOrder, drainEvery,
                        completers)), "appender-" + t));
            }
            ts.forEach(Thread::start);
            for (Thread t : ts) {
                t.join();
            }
        }
        int n = threads * perThread;
        assertEquals(n, callOrder.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i + 1L, (long) callOrder.get(i), "completions run in sequence order, each sequence once");
        }
        List<Rec> sorted = appended.stream().sorted(java.util.Comparator.comparingLong(Rec::sequence)).toList();
        assertEquals(sorted, readAll(o.dir()));
        return completers;
    }

    /**
     * Appends {@code n} records of kind {@code thread} from the calling thread, retrying while the ring is full.
     * With {@code drainEvery} above 0 it appends quietly and drains after every {@code drainEvery} records, after
     * the last, and when the ring is full, as an event loop does. Each completion adds its sequence to
     * {@code callOrder} and its thread to {@code completers}. Waits for every record and checks that this thread's
     * keep their order; returns them as written.
     */
    static List<Rec> appendFrom(Journal j, int thread, int n, List<Long> callOrder, int drainEvery,
                                Set<Thread> completers) {
        List<Future> futures = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String p = payload(i, 20 + (i * 7 + thread * 13) % 400) + "/t" + thread;
            byte[] b = bytes(p);
            while (true) {
                Future f = new Future() {
                    @Override
                    public void written(long sequence) {
                        callOrder.add(sequence);
                        completers.add(Thread.currentThread());
                        super.written(sequence);
                    }
                };
                if (drainEvery > 0) {
                    j.appendQuietly(thread, b, 0, b.length, f);
                } else {
                    j.append(thread, b, 0, b.length, f);
                }
                if (f.failure() == null) {
                    futures.add(f);
                    payloads.add(p);
                    break;
                }
                assertTrue(f.failure() instanceof JournalFullException, f.failure().toString());
                if (drainEvery > 0) {
                    j.drain(); // the ring is full of records nobody is writing: write them
                }
                Thread.yield();
            }
            if (drainEvery > 0 && (i % drainEvery == drainEvery - 1 || i == n - 1)) {
                j.drain();
            }
        }
        List<Rec> out = new ArrayList<>();
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long s = futures.get(i).join();
            assertTrue(s > previous, "one thread's records keep their order: " + s + " after " + previous);
            previous = s;
            out.add(new Rec(s, thread, payloads.get(i)));
        }
        return out;
    }

    /** Appends one record and waits until it is written; returns its sequence. */
    static long appendAndWait(Journal j, int kind, String payload) {
        try {
            return j.appendAndWait(kind, bytes(payload), 60_000);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Appends {@code n} records (kind 7, payload(i, size)) without waiting in between, then waits for all. */
    static List<Long> appendAll(Journal j, int n, int size) {
        List<Future> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Future f = new Future();
            byte[] b = bytes(payload(i, size));
            j.append(7, b, 0, b.length, f);
            futures.add(f);
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    /** Writes {@code n} records of {@code size} bytes into a fresh journal and closes it. */
    static void write(JournalOptions o, int n, int size) throws IOException {
        try (Journal j = Journal.open(o)) {
            appendAll(j, n, size);
        }
    }

    static List<Rec> readAll(Path dir) throws IOException {
        return readFrom(dir, 0);
    }

    static List<Rec> readFrom(Path dir, long from) throws IOException {
        List<Rec> out = new ArrayList<>();
        JournalReader.read(dir, from, (seq, kind, data, off, len) ->
                out.add(new Rec(seq, kind, new String(data, off, len, StandardCharsets.ISO_8859_1))));
        return out;
    }

    /** The records {@code appendAll(j, n, size)} wrote, with sequences first..first+n-1. */
    static List<Rec> expected(long first, int n, int size) {
        List<Rec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Rec(first + i, 7, payload(i, size)));
        }
        return out;
    }
}

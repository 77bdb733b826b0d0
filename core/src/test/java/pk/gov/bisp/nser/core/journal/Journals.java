package pk.gov.bisp.nser.core.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** Appends one record and waits until it is written; returns its sequence. */
    static long appendAndWait(Journal j, int kind, String payload) {
        Future f = new Future();
        byte[] b = bytes(payload);
        j.append(kind, b, 0, b.length, f);
        return f.join();
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

package pk.gov.bisp.nser.server.dci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import pk.gov.bisp.nser.core.format.Checksums;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.core.journal.JournalOptions;

/**
 * Compaction of the DCI journal ({@link Subscriptions}): delivered notifications, cancelled subscriptions and the
 * changes every subscription is done with are dropped by writing the state they leave into a new journal, then
 * putting it in the old one's place. Kill -9 safe: the new journal is written and fsynced in {@code dci.compact}
 * beside {@code dci}; then {@code dci} is renamed {@code dci.old} and {@code dci.compact} renamed {@code dci} (each
 * rename fsynced in the parent directory), then {@code dci.old} deleted. {@link #finish} at the next start completes
 * whatever a crash cut short: no {@code dci} but a {@code dci.old} means the complete {@code dci.compact} takes its
 * place; a {@code dci.compact} beside a {@code dci} is an unfinished rewrite and is deleted, as is a left {@code
 * dci.old}. Either the old journal or the complete new one is read, never a part of one.
 */
final class Compaction {

    /**
     * The records of a compacted journal, as {@link Subscriptions#image} gives them: each carries its position
     * ({@code n}), a subscription's being its cursor, so nothing is renumbered.
     */
    record Image(byte[] state, List<byte[]> subscriptions, TreeMap<Long, byte[]> changes, Map<String, Long> cursors) {
    }

    /** One record as appended: its kind and payload. */
    record Record(int kind, byte[] payload) {
    }

    /** Records appended before waiting for them: well within the journal's ring of 4,096. */
    private static final int BATCH = 1_024;

    private Compaction() {
    }

    static Path temp(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".compact");
    }

    static Path old(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".old");
    }

    /** Completes, or drops, a compaction a crash interrupted; see the class's Javadoc. */
    static void finish(Path dir) throws IOException {
        Path tmp = temp(dir);
        Path old = old(dir);
        if (!Files.exists(dir) && Files.exists(old)) {
            Files.move(Files.exists(tmp) ? tmp : old, dir, StandardCopyOption.ATOMIC_MOVE);
            Checksums.fsyncDirectory(dir.getParent());
        }
        delete(tmp);
        delete(old);
    }

    /**
     * Writes {@code image}, then {@code tail} (records appended whose effect the image does not hold yet), as the new
     * journal of {@code dir} (closed: nothing may write to it meanwhile).
     */
    static void rewrite(Path dir, Image image, List<Record> tail) throws IOException {
        Path tmp = temp(dir);
        delete(tmp);
        Files.createDirectories(tmp);
        Journal j = Journal.open(JournalOptions.defaults(tmp).withFsyncIntervalMicros(0).withSegmentBytes(16L << 20)
                .withRingSize(4_096));
        try {
            List<Record> all = new ArrayList<>();
            all.add(new Record(Subscriptions.STATE, image.state()));
            image.subscriptions().forEach(p -> all.add(new Record(Subscriptions.SUBSCRIBE, p)));
            image.changes().values().forEach(p -> all.add(new Record(Subscriptions.CHANGE, p)));
            all.addAll(tail);
            List<CompletableFuture<Long>> written = new ArrayList<>();
            for (Record r : all) {
                written.add(append(j, r.kind(), r.payload()));
                if (written.size() == BATCH) { // within the journal's ring
                    await(written);
                    written.clear();
                }
            }
            await(written);
        } finally {
            j.close();
        }
        Checksums.fsyncDirectory(tmp);
        Path old = old(dir);
        delete(old);
        Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        Checksums.fsyncDirectory(dir.getParent());
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        Checksums.fsyncDirectory(dir.getParent());
        delete(old);
    }

    private static CompletableFuture<Long> append(Journal j, int kind, byte[] payload) {
        return j.appendAsync(kind, payload);
    }

    private static void await(List<CompletableFuture<Long>> written) throws IOException {
        try {
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new IOException("the compacted DCI journal could not be written: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the compacted DCI journal was not written in 5 minutes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compacting the DCI journal", e);
        }
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
        Checksums.fsyncDirectory(p.getParent());
    }
}

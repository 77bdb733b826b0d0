package pk.gov.bisp.nser.server.update;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.snapshot.DeltaCheckpoint;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotCorruptException;
import pk.gov.bisp.nser.server.journal.JournalReader;
import pk.gov.bisp.nser.server.journal.ReadReport;

/**
 * Brings an opened snapshot up to date at start: checks that the update directory belongs to it
 * ({@code base.txt}), applies the newest checkpoint, then every journaled update after it, in order. Applying
 * a journaled state twice gives the same result, so an update both in a checkpoint and in the journal is
 * harmless.
 *
 * @param checkpoint    the checkpoint applied, or null
 * @param fromJournal   updates replayed from the journal
 * @param lastSequence  the journal sequence of the last update applied
 * @param maxCreatedId  the highest household id created by an update
 * @param millis        time taken
 * @param journal       what reading the journal found
 */
record Recovery(Path checkpoint, long fromCheckpoint, long fromJournal, long lastSequence, long maxCreatedId,
                long millis, ReadReport journal) {

    static final String BASE = "base.txt";

    static Recovery run(Snapshot s, Checkpoints checkpoints, Path dir, Idempotency idempotency) throws IOException {
        long start = System.nanoTime();
        String identity = DeltaCheckpoint.identity(s.manifest());
        Path base = dir.resolve(BASE);
        if (Files.exists(base)) {
            String bound = Files.readString(base, StandardCharsets.UTF_8).trim();
            if (!bound.equals(identity)) {
                throw new SnapshotCorruptException(base, "the update journal in " + dir + " belongs to snapshot "
                        + bound + ", not to " + identity + " (" + s.dir() + "); give this snapshot its own --updates "
                        + "directory, or compact the old one into a new snapshot");
            }
        } else {
            Path tmp = dir.resolve(BASE + ".tmp");
            Files.writeString(tmp, identity + "\n", StandardCharsets.UTF_8);
            pk.gov.bisp.nser.core.snapshot.Checksums.fsync(tmp);
            Files.move(tmp, base, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            pk.gov.bisp.nser.core.snapshot.Checksums.fsyncDirectory(dir);
        }
        long[] maxId = {0};
        long fromCheckpoint = 0;
        long after = 0;
        Path file = checkpoints.latest();
        if (file != null) {
            DeltaCheckpoint c = DeltaCheckpoint.read(file);
            if (!c.identity().equals(identity) || c.baseDictionary() != s.dictionary().size()) {
                throw new SnapshotCorruptException(file, "the checkpoint is of snapshot " + c.identity()
                        + " with " + c.baseDictionary() + " dictionary strings, not of " + identity + " with "
                        + s.dictionary().size());
            }
            List<String> strings = c.strings();
            for (int i = 0; i < strings.size(); i++) {
                int id = s.dictionary().idOf(strings.get(i));
                if (id != c.baseDictionary() + i) {
                    throw new SnapshotCorruptException(file, "dictionary string " + i + " repeats a known one");
                }
            }
            for (Map.Entry<Integer, byte[]> e : c.records().entrySet()) {
                s.apply(e.getKey(), e.getValue());
                if (e.getKey() >= c.baseHouseholds()) {
                    maxId[0] = Math.max(maxId[0], new pk.gov.bisp.nser.core.record.HouseholdRecord()
                            .wrap(e.getValue(), e.getValue().length).householdId());
                }
            }
            for (byte[] note : c.notes()) {
                Checkpoints.restore(note, idempotency);
            }
            fromCheckpoint = c.records().size();
            after = c.lastSequence();
        }
        long[] replayed = {0};
        long[] last = {after};
        IOException[] bad = new IOException[1];
        byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
        ReadReport report = JournalReader.read(dir, after + 1, (seq, kind, data, off, len) -> {
            if (bad[0] != null || kind != UpdateEntry.KIND) {
                return;
            }
            try {
                UpdateEntry e = UpdateEntry.decode(data, off, len);
                int n = HouseholdCodec.encode(e.household(), s.dictionary(), buf);
                s.apply(e.ordinal(), java.util.Arrays.copyOf(buf, n));
                if (e.created()) {
                    maxId[0] = Math.max(maxId[0], e.household().householdId());
                }
                if (e.idempotencyKey() != null) {
                    idempotency.remember(e.idempotencyKey(), e.fingerprint(), new Outcome(e.status(), Outcome.JSON,
                            e.response(), e.household().version(), false));
                }
                replayed[0]++;
                last[0] = seq;
            } catch (IOException | RuntimeException ex) {
                bad[0] = new IOException("update journal record " + seq + " cannot be replayed: " + ex.getMessage(),
                        ex);
            }
        });
        if (bad[0] != null) {
            throw bad[0];
        }
        if (!report.damage().isEmpty()) {
            throw new IOException("the update journal in " + dir + " is damaged: " + report.damage()
                    + "; updates after the damage would be lost, so the server does not start");
        }
        return new Recovery(file, fromCheckpoint, replayed[0], last[0], maxId[0],
                (System.nanoTime() - start) / 1_000_000, report);
    }

    @Override
    public String toString() {
        return (checkpoint == null ? "no checkpoint" : fromCheckpoint + " households from " + checkpoint.getFileName())
                + ", " + fromJournal + " updates replayed from the journal (through sequence " + lastSequence + ") in "
                + millis + " ms";
    }
}

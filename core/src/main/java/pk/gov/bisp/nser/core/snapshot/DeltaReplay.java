package pk.gov.bisp.nser.core.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import pk.gov.bisp.nser.core.format.Checksums;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.core.journal.ReadReport;
import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.json.InvalidFieldsException;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Household;

/**
 * Brings an opened snapshot up to date from its update directory (the server at start; {@code index-builder
 * verify} and {@code compact}): checks that the directory belongs to the snapshot ({@code base.txt}), applies
 * the newest {@link DeltaCheckpoint}, then every update journal record after it, in order. A journal record
 * (kind {@link #KIND}) is a JSON object holding at least {@code ordinal} and the whole new {@code household};
 * applying a state twice gives the same result, so a record both in a checkpoint and in the journal is
 * harmless.
 *
 * @param checkpoint     the checkpoint applied, or null
 * @param fromCheckpoint households taken from it
 * @param fromJournal    updates replayed from the journal after it
 * @param lastSequence   the journal sequence of the last update applied
 * @param maxCreatedId   the highest household id an update created
 * @param millis         time taken
 * @param journal        what reading the journal found
 */
public record DeltaReplay(Path checkpoint, long fromCheckpoint, long fromJournal, long lastSequence,
                          long maxCreatedId, long millis, ReadReport journal) {

    /** The journal record kind of an update. */
    public static final int KIND = 1;
    public static final String BASE = "base.txt";
    private static final String CHECKPOINT = "checkpoint-\\d{16}\\.ckpt";

    /** Told what the replay finds beyond records: checkpoint notes and each journal entry. */
    public interface Listener {
        void note(byte[] note) throws IOException;

        void entry(long sequence, JsonNode entry, Household household) throws IOException;
    }

    /** A listener that wants nothing but the records. */
    public static final Listener NONE = new Listener() {
        @Override
        public void note(byte[] note) {
        }

        @Override
        public void entry(long sequence, JsonNode entry, Household household) {
        }
    };

    /**
     * Replays {@code dir} into {@code s}; binds the directory to the snapshot when it is new.
     *
     * @throws SnapshotCorruptException if the directory belongs to another snapshot or a checkpoint is damaged
     * @throws IOException              if a journal record cannot be replayed or a segment is damaged
     */
    public static DeltaReplay run(Snapshot s, Path dir, Listener listener) throws IOException {
        long start = System.nanoTime();
        bind(s, dir);
        Path file = checkpointOf(s, dir);
        Folded cp = file == null ? new Folded(0, 0, 0) : fold(s, file, listener);
        long[] maxId = {cp.maxCreatedId()};
        long fromCheckpoint = cp.records();
        long after = Math.max(cp.lastSequence(), SnapshotFold.position(s.manifest()));
        long[] replayed = {0};
        long[] last = {after};
        IOException[] bad = new IOException[1];
        byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
        ReadReport report = JournalReader.read(dir, after + 1, (seq, kind, data, off, len) -> {
            if (bad[0] != null || kind != KIND) {
                return;
            }
            try {
                JsonNode n = HouseholdJson.JSON.readTree(data, off, len);
                Household h = HouseholdJson.parse(n.path("household"), new int[1]);
                boolean created = n.path("created").asBoolean();
                // a new household takes the next ordinal in journal order, whatever was decided before a failure
                int ordinal = created ? s.householdCount() : n.path("ordinal").asInt(-1);
                s.apply(ordinal, Arrays.copyOf(buf, HouseholdCodec.encode(h, s.dictionary(), buf)));
                if (created) {
                    maxId[0] = Math.max(maxId[0], h.householdId());
                }
                listener.entry(seq, n, h);
                replayed[0]++;
                last[0] = seq;
            } catch (IOException | InvalidFieldsException | RuntimeException ex) {
                bad[0] = new IOException("update journal record " + seq + " cannot be replayed: " + ex.getMessage(),
                        ex);
            }
        });
        if (bad[0] != null) {
            throw bad[0];
        }
        long folded = after;
        if (report.damage().stream().anyMatch(d -> d.lostRecords() > d.lostThrough(folded))) {
            // damage that lost nothing (bytes between frames, a header before intact frames), or only updates in
            // the checkpoint, is read past
            throw new IOException("the update journal in " + dir + " lost updates to damage: " + report.damage()
                    + "; updates after them would be applied without them, so nothing is served from it");
        }
        return new DeltaReplay(file, fromCheckpoint, replayed[0], last[0], maxId[0],
                (System.nanoTime() - start) / 1_000_000, report);
    }

    /** What a checkpoint folded: its records, the journal sequence it covers, the largest id it created. */
    private record Folded(long records, long lastSequence, long maxCreatedId) {
    }

    /**
     * The checkpoint to start from: the update directory's newest; but for a generation ({@link SnapshotFold}), one
     * of the snapshot it was folded from (through no later than the generation's position) is passed over for the
     * one the generation holds.
     */
    private static Path checkpointOf(Snapshot s, Path dir) throws IOException {
        Path file = latestCheckpoint(dir);
        if (!s.manifest().build().containsKey(SnapshotFold.GENERATION_OF)) {
            return file;
        }
        if (file != null) {
            DeltaCheckpoint c = DeltaCheckpoint.read(file);
            if (c.identity().equals(DeltaCheckpoint.identity(s.manifest()))) {
                return file;
            }
            if (c.lastSequence() > SnapshotFold.position(s.manifest())) {
                throw new SnapshotCorruptException(file, "the checkpoint through " + c.lastSequence() + " is of "
                        + "snapshot " + c.identity() + ", older than the generation " + s.dir() + " served, which was "
                        + "folded through " + SnapshotFold.position(s.manifest()));
            }
        }
        return latestCheckpoint(s.dir());
    }

    /**
     * The update position {@code dir}'s newest checkpoint or current generation covers: the journal before it may
     * be gone.
     */
    public static long covered(Path dir) throws IOException {
        long cp = checkpointSequence(latestCheckpoint(dir));
        Path g = Generations.current(dir);
        return g == null ? cp : Math.max(cp, SnapshotFold.position(Manifest.read(g.resolve(SnapshotFiles.MANIFEST))));
    }

    /** Applies the checkpoint {@code file} to {@code s}, after checking it belongs to this snapshot. */
    private static Folded fold(Snapshot s, Path file, Listener listener) throws IOException {
        DeltaCheckpoint c = DeltaCheckpoint.read(file);
        String identity = DeltaCheckpoint.identity(s.manifest());
        if (!c.identity().equals(identity) || c.baseDictionary() != s.dictionary().size()) {
            throw new SnapshotCorruptException(file, "the checkpoint is of snapshot " + c.identity()
                    + " with " + c.baseDictionary() + " dictionary strings, not of " + identity + " with "
                    + s.dictionary().size());
        }
        List<String> strings = c.strings();
        for (int i = 0; i < strings.size(); i++) {
            if (s.dictionary().idOf(strings.get(i)) != c.baseDictionary() + i) {
                throw new SnapshotCorruptException(file, "dictionary string " + i + " repeats a known one");
            }
        }
        long maxId = 0;
        HouseholdRecord r = new HouseholdRecord();
        for (Map.Entry<Integer, byte[]> e : c.records().entrySet()) {
            s.apply(e.getKey(), e.getValue());
            if (e.getKey() >= c.baseHouseholds()) {
                maxId = Math.max(maxId, r.wrap(e.getValue(), e.getValue().length).householdId());
            }
        }
        for (byte[] note : c.notes()) {
            listener.note(note);
        }
        return new Folded(c.records().size(), c.lastSequence(), maxId);
    }

    /** Checks {@code base.txt} names this snapshot, writing it when the directory is new. */
    private static void bind(Snapshot s, Path dir) throws IOException {
        String identity = SnapshotFold.baseIdentity(s.manifest()); // a generation: the snapshot it was folded from
        Path base = dir.resolve(BASE);
        if (Files.exists(base)) {
            String bound = Files.readString(base, StandardCharsets.UTF_8).trim();
            if (!bound.equals(identity)) {
                throw new SnapshotCorruptException(base, "the update directory " + dir + " belongs to snapshot "
                        + bound + ", not to " + identity + " (" + s.dir() + "); give this snapshot its own update "
                        + "directory, or compact the old one into a new snapshot");
            }
            return;
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(BASE + ".tmp");
        Files.writeString(tmp, identity + "\n", StandardCharsets.UTF_8);
        Checksums.fsync(tmp);
        Files.move(tmp, base, StandardCopyOption.ATOMIC_MOVE);
        Checksums.fsyncDirectory(dir);
    }

    /** The newest checkpoint file of {@code dir}, or null. */
    public static Path latestCheckpoint(Path dir) throws IOException {
        Path best = null;
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (n.matches(CHECKPOINT) && (best == null || n.compareTo(best.getFileName().toString()) > 0)) {
                    best = f;
                }
            }
        }
        return best;
    }

    /** The journal sequence of the last update in the checkpoint {@code file} (from its name); 0 for none. */
    public static long checkpointSequence(Path file) {
        if (file == null || !file.getFileName().toString().matches(CHECKPOINT)) {
            return 0;
        }
        String n = file.getFileName().toString();
        return Long.parseLong(n.substring("checkpoint-".length(), n.length() - ".ckpt".length()));
    }

    /** Deletes every checkpoint of {@code dir} but {@code keep}. */
    public static void deleteOtherCheckpoints(Path dir, Path keep) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().matches(CHECKPOINT) && !f.equals(keep)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    @Override
    public String toString() {
        return (checkpoint == null ? "no checkpoint" : fromCheckpoint + " households from " + checkpoint.getFileName())
                + ", " + fromJournal + " updates replayed from the journal (through sequence " + lastSequence + ") in "
                + millis + " ms";
    }
}

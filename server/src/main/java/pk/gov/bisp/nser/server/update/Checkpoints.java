package pk.gov.bisp.nser.server.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.snapshot.DeltaCheckpoint;
import pk.gov.bisp.nser.core.snapshot.DeltaReplay;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.journal.JournalRetention;

/**
 * The checkpoints of the update directory: writing one folds every applied update (and the idempotency
 * answers) into a {@link DeltaCheckpoint}, then deletes the older checkpoints and the journal segments it covers,
 * so a restart replays only the journal after it.
 */
final class Checkpoints {

    private static final Logger LOG = Logger.getLogger(Checkpoints.class.getName());
    private final Path dir;
    private final int every;

    Checkpoints(Path dir, int every) {
        this.dir = dir;
        this.every = every;
    }

    int every() {
        return every;
    }

    /** What a checkpoint holds, copied on the update thread so it can be written on another. */
    record Taken(DeltaCheckpoint partial, List<Map.Entry<String, Idempotency.Stored>> answers) {
    }

    /** Copies the applied updates of {@code s} through journal {@code sequence}; cheap, on the update thread. */
    Taken take(Snapshot s, long sequence, Idempotency idempotency) {
        Map<Integer, byte[]> records = s.delta().copyRecords();
        List<String> all = s.dictionary().toList();
        int base = s.baseDictionarySize();
        DeltaCheckpoint c = new DeltaCheckpoint(sequence, (int) s.manifest().households(), base,
                DeltaCheckpoint.identity(s.manifest()), List.copyOf(all.subList(base, all.size())), records, List.of());
        return new Taken(c, List.copyOf(idempotency.all().entrySet()));
    }

    /** The idempotency answers as checkpoint notes (a fold's generation keeps those of its cut). */
    static List<byte[]> notes(Idempotency idempotency) {
        List<byte[]> notes = new ArrayList<>();
        for (Map.Entry<String, Idempotency.Stored> e : idempotency.all().entrySet()) {
            notes.add(note(e.getKey(), e.getValue()));
        }
        return notes;
    }

    /** Writes what {@link #take} copied, then deletes the older checkpoints and the journal segments it covers. */
    Result write(Taken t) throws IOException {
        long start = System.nanoTime();
        List<byte[]> notes = new ArrayList<>(t.answers().size());
        for (Map.Entry<String, Idempotency.Stored> e : t.answers()) {
            notes.add(note(e.getKey(), e.getValue()));
        }
        DeltaCheckpoint p = t.partial();
        DeltaCheckpoint c = new DeltaCheckpoint(p.lastSequence(), p.baseHouseholds(), p.baseDictionary(),
                p.identity(), p.strings(), p.records(), notes);
        Path file = c.write(dir);
        DeltaReplay.deleteOtherCheckpoints(dir, file);
        int segments = JournalRetention.deleteThrough(dir, c.lastSequence());
        Result r = new Result(file, c.lastSequence(), c.records().size(), (System.nanoTime() - start) / 1_000_000,
                segments);
        LOG.info("updates: " + r);
        return r;
    }

    private static byte[] note(String key, Idempotency.Stored s) {
        ObjectNode n = HouseholdJson.JSON.createObjectNode();
        n.put("key", key).put("fingerprint", s.fingerprint()).put("status", s.outcome().status())
                .put("content_type", s.outcome().contentType()).put("version", s.outcome().version())
                .put("body", new String(s.outcome().body(), StandardCharsets.UTF_8));
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Restores one note into {@code idempotency}. */
    static void restore(byte[] note, Idempotency idempotency) throws IOException {
        JsonNode n = HouseholdJson.JSON.readTree(note);
        idempotency.remember(n.path("key").asText(), n.path("fingerprint").asText(),
                new Outcome(n.path("status").asInt(), n.path("content_type").asText(),
                        n.path("body").asText().getBytes(StandardCharsets.UTF_8), n.path("version").asLong(), false));
    }

    /** A written checkpoint. */
    record Result(Path file, long sequence, int households, long millis, int segmentsDeleted) {
        @Override
        public String toString() {
            return "checkpoint " + file.getFileName() + ": " + households + " changed households through journal "
                    + "sequence " + sequence + " in " + millis + " ms; " + segmentsDeleted + " journal segments deleted";
        }
    }
}

package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.core.journal.JournalOptions;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.server.caller.AreaScope;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Organisation;
import pk.gov.bisp.nser.server.caller.OrganisationType;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;

/**
 * Compaction of the DCI journal at start ({@link Compaction}): a journal of many deliveries, a cancelled subscription
 * and changes every subscription is done with shrinks to the state it leaves (the live subscriptions, what each has
 * still to be told, the cancelled codes and the last update), which reads back the same; and a compaction cut short
 * by a kill -9 at any step (the new journal half written, the old one moved aside, the new one not yet in place)
 * is completed or dropped at the next start, the state the same.
 */
class DciJournalCompactionTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final Organisation ACME = new Organisation("acme-microfinance", "Acme",
            OrganisationType.BUSINESS, AreaScope.NATIONAL, 0, 0);
    private static final Map<String, Organisation> ORGS = Map.of(ACME.id(), ACME);
    private static final int CHANGES = 300;

    @TempDir
    Path tmp;

    private static Subscription subscription(String code) {
        User u = new User("u-" + code, "User", ACME, Role.POWER, EnumSet.of(Operation.SEARCH), null);
        ObjectNode filter = M.createObjectNode().put("type", "UIN").put("value", "3520212345671");
        ObjectNode item = M.createObjectNode().put("reference_id", "r-" + code);
        return new Subscription(code, u, "spmis", "http://127.0.0.1:9/registry/notify", Subscription.REGISTER, false,
                "idtype-value", filter, item, "r-" + code, null, Instant.parse("2026-12-07T04:00:00Z"));
    }

    private static byte[] change(int i) {
        return M.createObjectNode().put("update", 1_000 + i).put("ordinal", i).put("household_id", 50_000 + i)
                .put("kind", "ROSTER").put("update_type", "contact").put("at", "2026-12-07T05:00:00Z").toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    private static long append(Journal j, int kind, byte[] payload) {
        return j.appendAsync(kind, payload).join();
    }

    /**
     * A journal as a long run leaves it: subscriptions A, B and C, then CHANGES changes; A told of all but the last
     * 10 and B of the first 100 (a done record per delivery); C cancelled.
     */
    private static void longRun(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Journal j = Journal.open(JournalOptions.defaults(dir).withFsyncIntervalMicros(0))) {
            for (String code : List.of("A", "B", "C")) {
                append(j, Subscriptions.SUBSCRIBE, subscription(code).encode(999));
            }
            List<Long> seqs = new ArrayList<>();
            for (int i = 1; i <= CHANGES; i++) {
                seqs.add(append(j, Subscriptions.CHANGE, change(i)));
            }
            for (int i = 0; i < CHANGES - 10; i++) {
                append(j, Subscriptions.DONE, done("A", seqs.get(i)));
                if (i < 100) {
                    append(j, Subscriptions.DONE, done("B", seqs.get(i)));
                    append(j, Subscriptions.DONE, done("C", seqs.get(i)));
                }
            }
            append(j, Subscriptions.UNSUBSCRIBE, "{\"codes\":[\"C\"]}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] done(String code, long seq) {
        return M.createObjectNode().put("code", code).put("change", seq).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long records(Path dir) throws IOException {
        long[] n = {0};
        JournalReader.read(dir, (seq, kind, data, off, len) -> n[0]++);
        return n[0];
    }

    /** What the state means, independent of sequences: each live code and the changes it still has to be told. */
    private static Map<String, List<String>> meaning(Path dir) throws IOException {
        try (Subscriptions s = Subscriptions.open(dir, ORGS)) {
            return meaning(s.image());
        }
    }

    private static Map<String, List<String>> meaning(Compaction.Image image) {
        Map<String, List<String>> m = new TreeMap<>();
        image.cursors().forEach((code, cursor) -> m.put(code, image.changes().tailMap(cursor, false).values()
                .stream().map(b -> without(b, "n")).toList()));
        m.put("state", List.of(without(image.state(), "clock")));
        return m;
    }

    /** The record without its position ({@code n}, {@code clock}): the same meaning, wherever it was written. */
    private static String without(byte[] record, String field) {
        try {
            ObjectNode n = (ObjectNode) M.readTree(record);
            n.remove(field);
            return n.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, List<String>> expected() {
        Map<String, List<String>> m = new TreeMap<>();
        List<String> all = new ArrayList<>();
        for (int i = 1; i <= CHANGES; i++) {
            all.add(new String(change(i), StandardCharsets.UTF_8));
        }
        m.put("A", all.subList(CHANGES - 10, CHANGES));
        m.put("B", all.subList(100, CHANGES));
        m.put("state", List.of("{\"last_update\":" + (1_000 + CHANGES) + ",\"cancelled\":{\"C\":\"acme-microfinance\"}}"));
        return m;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.sorted(Comparator.naturalOrder()).toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    @Test
    void deliveredAndCancelledRecordsShouldBeDroppedAtStartAndTheStateKept() throws IOException {
        Path dir = tmp.resolve("updates").resolve("dci");
        longRun(dir);
        long before = records(dir);
        assertEquals(3 + CHANGES + (CHANGES - 10) + 200 + 1, before);
        // not while the subscribers' organisation is missing from the configuration (a slip of the config file
        // must not drop its subscriptions for good)
        try (Subscriptions s = Subscriptions.open(dir, Map.of())) {
            assertTrue(s.image().cursors().isEmpty());
        }
        assertEquals(before, records(dir));
        assertEquals(expected(), meaning(dir)); // compacted as it opened
        long after = records(dir);
        // the state, A and B (each at its cursor), and the changes B still needs
        assertEquals(1 + 2 + (CHANGES - 100), after);
        assertEquals(expected(), meaning(dir)); // and read again: the same, not compacted again
        assertEquals(after, records(dir));
        assertFalse(Files.exists(Compaction.temp(dir)));
        assertFalse(Files.exists(Compaction.old(dir)));
    }

    @Test
    void aCompactionCutShortAtAnyStepShouldLeaveTheSameState() throws IOException {
        Path original = tmp.resolve("original");
        longRun(original);
        Path compacted = tmp.resolve("compacted").resolve("dci");
        copy(original, compacted);
        meaning(compacted); // compacts it

        // killed while writing the new journal: a partial dci.compact beside the old journal, which is read
        Path a = tmp.resolve("a").resolve("dci");
        copy(original, a);
        Files.createDirectories(Compaction.temp(a));
        Files.write(Compaction.temp(a).resolve("journal-0000000000000001.seg"), new byte[] {1, 2, 3});
        assertEquals(expected(), meaning(a));
        assertFalse(Files.exists(Compaction.temp(a)));

        // killed between the two renames: no dci, the old journal as dci.old, the complete new one as dci.compact
        Path b = tmp.resolve("b").resolve("dci");
        copy(original, Compaction.old(b));
        copy(compacted, Compaction.temp(b));
        assertEquals(expected(), meaning(b));
        assertTrue(Files.exists(b));
        assertFalse(Files.exists(Compaction.old(b)));
        assertFalse(Files.exists(Compaction.temp(b)));
        assertEquals(records(compacted), records(b));

        // killed before deleting the old journal: dci (new) and dci.old
        Path c = tmp.resolve("c").resolve("dci");
        copy(compacted, c);
        copy(original, Compaction.old(c));
        assertEquals(expected(), meaning(c));
        assertFalse(Files.exists(Compaction.old(c)));

        // only the old journal moved aside (no new one): it is put back
        Path d = tmp.resolve("d").resolve("dci");
        copy(original, Compaction.old(d));
        assertEquals(expected(), meaning(d));
        assertFalse(Files.exists(Compaction.old(d)));
    }

    /** {@code record} at position {@code n}, as {@link Subscriptions} appends it. */
    private static byte[] at(byte[] record, long n) throws IOException {
        return ((ObjectNode) M.readTree(record)).put("n", n).toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A compaction while running writes, after the state, the records appended whose effect the state did not hold
     * yet: a change, a new subscription and a cancellation appended as the state was taken are all in the new
     * journal.
     */
    @Test
    void recordsAppendedButNotYetAppliedShouldBeKeptByACompaction() throws IOException {
        Path dir = tmp.resolve("tail").resolve("dci");
        longRun(dir);
        Compaction.Image image;
        try (Subscriptions s = Subscriptions.open(dir, ORGS)) {
            image = s.image();
        }
        Compaction.rewrite(dir, image, List.of(
                new Compaction.Record(Subscriptions.CHANGE, at(change(CHANGES + 1), 10_001)),
                new Compaction.Record(Subscriptions.SUBSCRIBE, at(subscription("D").encode(1_000 + CHANGES), 10_002)),
                new Compaction.Record(Subscriptions.UNSUBSCRIBE, at("{\"codes\":[\"B\"]}".getBytes(
                        StandardCharsets.UTF_8), 10_003))));
        Map<String, List<String>> m = meaning(dir);
        List<String> a = new ArrayList<>(expected().get("A"));
        a.add(new String(change(CHANGES + 1), StandardCharsets.UTF_8));
        assertEquals(a, m.get("A"), "A: its last ten, and the change appended");
        assertEquals(List.of(), m.get("D"), "D: live, subscribed after the change");
        assertFalse(m.containsKey("B"), "B: cancelled");
        JsonNode state = M.readTree(m.get("state").get(0));
        assertEquals(1_000 + CHANGES + 1, state.path("last_update").asLong());
        assertEquals("acme-microfinance", state.path("cancelled").path("B").asText(), state.toString());
        try (Subscriptions s = Subscriptions.open(dir, ORGS)) { // positions go on after the last one kept
            assertTrue(M.readTree(s.image().state()).path("clock").asLong() >= 10_003);
        }
    }

    /** Tells {@code s} of the changes of updates {@code from} to {@code to}, each durable before the next. */
    private static void changes(Subscriptions s, long from, long to) throws InterruptedException {
        for (long u = from; u <= to; u++) {
            java.util.concurrent.CountDownLatch durable = new java.util.concurrent.CountDownLatch(1);
            s.changed(new pk.gov.bisp.nser.server.update.HouseholdListener.Change(u, (int) u, 50_000 + u,
                    pk.gov.bisp.nser.server.update.HouseholdListener.Kind.ROSTER, "contact",
                    Instant.parse("2026-12-07T05:00:00Z")), durable::countDown);
            assertTrue(durable.await(30, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    /** The updates whose changes the state holds for {@code code}, in order. */
    private static List<Long> updatesFor(Subscriptions s, String code) throws IOException {
        Compaction.Image image = s.image();
        List<Long> out = new ArrayList<>();
        for (byte[] c : image.changes().tailMap(image.cursors().get(code), false).values()) {
            out.add(M.readTree(c).path("update").asLong());
        }
        return out;
    }

    /**
     * A replica knows its updates by their log position and, after a restart, applies again those after its
     * checkpoint: their changes are journaled, and notified, once; and those from before a subscription never
     * become its changes. A single server, whose updates are not applied twice, keeps every change it is told of.
     */
    @Test
    void aReplicaJournalsTheChangesOfUpdatesTheLogAppliesAgainOnce() throws Exception {
        Path dir = tmp.resolve("replica").resolve("dci");
        try (Subscriptions s = Subscriptions.open(dir, ORGS, 65_536, true)) {
            java.util.concurrent.CountDownLatch added = new java.util.concurrent.CountDownLatch(1);
            changes(s, 91, 100); // nobody subscribed yet
            s.add(List.of(subscription("A")), existing -> { }, failure -> added.countDown());
            assertTrue(added.await(30, java.util.concurrent.TimeUnit.SECONDS));
            changes(s, 101, 110);
        }
        List<Long> expected = new ArrayList<>();
        for (long u = 101; u <= 115; u++) {
            expected.add(u);
        }
        try (Subscriptions s = Subscriptions.open(dir, ORGS, 65_536, true)) {
            changes(s, 95, 115); // the log read again from a checkpoint at 94
        }
        try (Subscriptions s = Subscriptions.open(dir, ORGS, 65_536, true)) { // read back as journaled
            assertEquals(expected, updatesFor(s, "A"));
        }
        Path single = tmp.resolve("single").resolve("dci");
        try (Subscriptions s = Subscriptions.open(single, ORGS, 65_536, false)) {
            java.util.concurrent.CountDownLatch added = new java.util.concurrent.CountDownLatch(1);
            s.add(List.of(subscription("A")), existing -> { }, failure -> added.countDown());
            assertTrue(added.await(30, java.util.concurrent.TimeUnit.SECONDS));
            changes(s, 5, 7);
            changes(s, 1, 2); // a single server's sequences are never applied twice: nothing is dropped
        }
        try (Subscriptions s = Subscriptions.open(single, ORGS, 65_536, false)) {
            assertEquals(List.of(5L, 6L, 7L, 1L, 2L), updatesFor(s, "A"));
        }
    }
}

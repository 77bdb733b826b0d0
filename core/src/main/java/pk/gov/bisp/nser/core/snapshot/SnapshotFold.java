package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;
import pk.gov.bisp.nser.core.record.HouseholdRecord;

/**
 * Folds a snapshot's live updates into a new snapshot generation while it is served (issue 29): {@link #cut} copies
 * what the updates hold at one update position (cheap: references to the records, under the read lock), {@link
 * #write} builds the new snapshot from the files and that copy in ordinal order (every household keeps its ordinal,
 * so whatever is keyed by ordinal beside the snapshot stays valid), {@link #verify} opens it and checks every record
 * against the cut, and {@link #catchUp} applies to it the updates made after the cut. Unlike {@code index-builder
 * compact}, households are not put back in geographic order.
 */
public final class SnapshotFold {

    /** Manifest {@code build} key: the update position (journal sequence or log offset) a generation covers. */
    public static final String FOLDED_THROUGH = "folded_through";
    /** Manifest {@code build} key: the identity of the snapshot the update directory was first bound to. */
    public static final String GENERATION_OF = "generation_of";
    /**
     * Manifest {@code build} key: the SHA-256 of the base snapshot's manifest, which ties cursors to the ordinals
     * (kept by every fold).
     */
    public static final String BASE_MANIFEST_SHA256 = "base_manifest_sha256";
    /** Manifest {@code build} key: the generation's number (1 for the first fold of the base). */
    public static final String GENERATION = "generation";

    private SnapshotFold() {
    }

    /**
     * The state of the live updates at update position {@code position}: the changed records (the arrays are never
     * changed in place, only replaced), the household count and the dictionary.
     */
    public record Cut(long position, int households, Map<Integer, byte[]> records, List<String> dictionary) {
    }

    /** Copies the live updates of {@code s} as they are now, which is update position {@code position}. */
    public static Cut cut(Snapshot s, long position) {
        s.readLock().lock();
        try {
            return new Cut(position, s.householdCount(), s.delta().copyRecords(), s.dictionary().toList());
        } finally {
            s.readLock().unlock();
        }
    }

    /** The position a snapshot's files cover: its {@link #FOLDED_THROUGH}, 0 for a snapshot never folded. */
    public static long position(Manifest m) {
        String p = m.build().get(FOLDED_THROUGH);
        return p == null ? 0 : Long.parseLong(p);
    }

    /** The identity of the snapshot the update directory belongs to: the base's, also after folds. */
    public static String baseIdentity(Manifest m) {
        String base = m.build().get(GENERATION_OF);
        return base != null ? base : DeltaCheckpoint.identity(m);
    }

    /** The SHA-256 (hex) of the base manifest of the snapshot in {@code dir}: its own, or the one a fold kept. */
    public static String manifestSha256(Path dir) throws IOException {
        Path file = dir.resolve(SnapshotFiles.MANIFEST);
        String kept = Manifest.read(file).build().get(BASE_MANIFEST_SHA256);
        if (kept != null) {
            return kept;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code build} without what binds a generation to its update directory and its ordinals: for a snapshot that
     * is a new base (an offline {@code compact}, which puts households in geographic order again).
     */
    public static Map<String, String> asNewBase(Map<String, String> build) {
        Map<String, String> out = new LinkedHashMap<>(build);
        out.keySet().removeAll(List.of(GENERATION_OF, GENERATION, FOLDED_THROUGH, BASE_MANIFEST_SHA256,
                "folded_households"));
        return out;
    }

    /** Writes {@code s}'s files with {@code cut} applied into {@code out}, in ordinal order. */
    public static Manifest write(Snapshot s, Cut cut, Path out) throws IOException {
        Manifest m = s.manifest();
        Map<String, String> build = new LinkedHashMap<>(m.build());
        build.put(GENERATION_OF, baseIdentity(m));
        build.put(BASE_MANIFEST_SHA256, manifestSha256(s.dir()));
        build.put(GENERATION, Long.toString(Long.parseLong(m.build().getOrDefault(GENERATION, "0")) + 1));
        build.put(FOLDED_THROUGH, Long.toString(cut.position()));
        build.put("folded_households", Integer.toString(cut.records().size()));
        int n = cut.households();
        SnapshotWriter.Options options = new SnapshotWriter.Options(n, s.idCount() + 1_000,
                68 + 20.0 * s.memberCount() / Math.max(1, n) + 24, m.asOf(), build, true);
        StringDictionary dictionary = StringDictionary.of(cut.dictionary());
        SnapshotWriter w = s.pmtModel() != null
                ? SnapshotWriter.create(out, options, s.geography(), dictionary, s.pmtModel())
                : SnapshotWriter.create(out, options, s.geography(), dictionary, m.pmtModelName(), m.pmtModelVersion());
        try {
            w.inAnyOrder();
            HouseholdRecord r = new HouseholdRecord();
            for (int o = 0; o < n; o++) {
                w.append(read(s, cut, o, r));
            }
            return w.finish();
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
    }

    private static HouseholdRecord read(Snapshot s, Cut cut, int ordinal, HouseholdRecord into) {
        byte[] changed = cut.records().get(ordinal);
        if (changed != null) { // copied: the live delta shares the array, and the record's buffer is reused
            System.arraycopy(changed, 0, into.buffer(changed.length), 0, changed.length);
            into.wrapBuffer(changed.length);
            return into;
        }
        if (!s.readFiles(ordinal, into)) {
            throw new IllegalStateException("no household at ordinal " + ordinal + " in " + s.dir());
        }
        return into;
    }

    /**
     * Checks that {@code folded} (opened with its checksums verified) holds, ordinal by ordinal, the records of
     * {@code s}'s files with {@code cut} applied, and the cut's counts.
     *
     * @throws SnapshotCorruptException naming the folded snapshot's households file at the first difference
     */
    public static void verify(Snapshot folded, Snapshot s, Cut cut) {
        Path file = folded.dir().resolve(SnapshotFiles.HOUSEHOLDS);
        if (folded.householdCount() != cut.households() || folded.updatedCount() != 0) {
            throw new SnapshotCorruptException(file, "households=" + folded.householdCount() + " updated="
                    + folded.updatedCount() + " but the fold's cut has " + cut.households() + " households");
        }
        if (folded.dictionary().size() != cut.dictionary().size()) {
            throw new SnapshotCorruptException(folded.dir().resolve(SnapshotFiles.DICTIONARY), "strings="
                    + folded.dictionary().size() + " but the fold's cut has " + cut.dictionary().size());
        }
        HouseholdRecord expected = new HouseholdRecord();
        HouseholdRecord found = new HouseholdRecord();
        for (int o = 0; o < cut.households(); o++) {
            read(s, cut, o, expected);
            if (!folded.read(o, found) || !Arrays.equals(expected.toByteArray(), found.toByteArray())) {
                throw new SnapshotCorruptException(file, "ordinal=" + o + " differs from the record folded into it");
            }
        }
    }

    /**
     * Applies to {@code folded} every update {@code live} holds beyond {@code cut} (records replaced or added since),
     * in ordinal order, with the dictionary strings added since; returns how many. Call where no update is applied
     * to {@code live} meanwhile (its update thread).
     */
    public static int catchUp(Snapshot live, Cut cut, Snapshot folded) {
        List<String> strings = live.dictionary().toList();
        StringDictionary d = folded.dictionary();
        for (int i = d.size(); i < strings.size(); i++) {
            if (d.idOf(strings.get(i)) != i) {
                throw new IllegalStateException("dictionary string " + i + " is already in the folded snapshot");
            }
        }
        int applied = 0;
        for (Map.Entry<Integer, byte[]> e : new TreeMap<>(live.delta().copyRecords()).entrySet()) {
            if (e.getKey() >= cut.households() || cut.records().get(e.getKey()) != e.getValue()) {
                folded.applyKnown(e.getKey(), e.getValue());
                applied++;
            }
        }
        return applied;
    }
}

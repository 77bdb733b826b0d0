package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;
import java.util.function.LongConsumer;
import java.util.logging.Logger;
import org.roaringbitmap.RoaringBitmap;
import java.util.function.ObjIntConsumer;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.format.Checksums;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.index.BitmapIndex;
import pk.gov.bisp.nser.core.index.BitmapMembership;
import pk.gov.bisp.nser.core.index.MemberSlices;
import pk.gov.bisp.nser.core.index.PmtIndex;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.scoring.PmtModel;

/**
 * An opened snapshot. {@link #open} checks every file against the manifest (presence, size and, with
 * {@link Verify#FULL}, CRC32C, which also reads every page once and so warms the mapped files), then each
 * file's own magic and version, then the cross-counts; any failure is a {@link SnapshotCorruptException}
 * naming the file. A Chronicle Map lock left in a file by a process that stopped while reading is cleared when the
 * opener is alone with the snapshot ({@link SnapshotLock}). Thread-safe for reads.
 */
public final class Snapshot implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Snapshot.class.getName());

    /** How much to check on open. */
    public enum Verify {
        /** Sizes, headers and counts: seconds at any scale. */
        QUICK,
        /** Also the CRC32C of every byte of every file. */
        FULL
    }

    private final Path dir;
    private final Manifest manifest;
    private final StringDictionary dictionary;
    private final Geography geography;
    private final HouseholdIdIndex householdIds;
    private final BitmapIndex bitmaps;
    private final PmtIndex pmt;
    private final HouseholdStore households;
    private final CnicIndex cnics;
    private final Delta delta;
    private final int baseDictionary;
    private final PmtFiles pmtFiles;
    private final SnapshotLock lock;

    private Snapshot(Path dir, Verify verify, LongConsumer progress) throws IOException {
        this.dir = dir;
        if (!Files.isDirectory(dir)) {
            throw new SnapshotCorruptException(dir, "not a directory");
        }
        this.lock = SnapshotLock.acquire(dir);
        try {
            if (SnapshotCommit.pending(dir)) {
                throw new SnapshotCorruptException(dir.resolve(SnapshotCommit.PENDING_MANIFEST), "an interrupted "
                        + "re-scoring is decided but not finished: complete it with 'nser-index-builder rescore "
                        + "--resume " + dir + "'");
            }
            this.manifest = Manifest.read(dir.resolve(SnapshotFiles.MANIFEST));
            checkFiles(verify, progress);
            lock.share();
            this.pmtFiles = PmtFiles.open(dir, manifest);
            this.dictionary = DictionaryFile.read(file(SnapshotFiles.DICTIONARY));
            this.geography = GeographyFile.read(file(SnapshotFiles.GEOGRAPHY));
            this.householdIds = HouseholdIdIndex.open(file(SnapshotFiles.HOUSEHOLD_IDS));
            this.bitmaps = BitmapIndex.open(file(SnapshotFiles.BITMAPS));
            this.pmt = PmtIndex.open(file(SnapshotFiles.PMT_INDEX));
            HouseholdStore hs = chronicle(SnapshotFiles.HOUSEHOLDS, HouseholdStore::open);
            CnicIndex ci;
            try {
                ci = chronicle(SnapshotFiles.CNIC_INDEX, CnicIndex::open);
            } catch (RuntimeException | IOException e) {
                hs.close();
                throw e;
            }
            this.households = hs;
            this.cnics = ci;
            try {
                checkCounts();
            } catch (RuntimeException e) {
                households.close();
                cnics.close();
                throw e;
            }
        } catch (IOException | RuntimeException | Error e) {
            lock.close();
            throw e;
        }
        this.baseDictionary = dictionary.size();
        this.delta = new Delta(new BitmapMembership(geography, manifest.asOf(),
                MemberSlices.present(bitmaps.all())), (int) manifest.households(),
                manifest.members(), manifest.ids());
    }

    public static Snapshot open(Path dir, Verify verify) throws IOException {
        return new Snapshot(dir, verify, bytes -> { });
    }

    /** Opens, reporting bytes checksummed to {@code progress}. */
    public static Snapshot open(Path dir, Verify verify, LongConsumer progress) throws IOException {
        return new Snapshot(dir, verify, progress);
    }

    private Path file(String name) {
        return dir.resolve(name);
    }

    private void checkFiles(Verify verify, LongConsumer progress) throws IOException {
        for (String name : SnapshotFiles.listed(manifest)) {
            Manifest.FileEntry e = manifest.files().get(name);
            Path f = file(name);
            if (e == null) {
                throw new SnapshotCorruptException(f, "not listed in " + SnapshotFiles.MANIFEST);
            }
            if (!Files.isRegularFile(f)) {
                throw new SnapshotCorruptException(f, "missing");
            }
            long size = Files.size(f);
            if (size != e.bytes()) {
                throw new SnapshotCorruptException(f, "size=" + size + " expected=" + e.bytes()
                        + (size < e.bytes() ? " (truncated)" : ""));
            }
        }
        if (verify == Verify.FULL) {
            for (String name : SnapshotFiles.listed(manifest)) {
                Path f = file(name);
                String crc = Checksums.crc32c(f, progress);
                String expected = manifest.files().get(name).crc32c();
                if (!crc.equals(expected) && chronicleLocks(name)) {
                    crc = Checksums.crc32c(f, bytes -> { });
                    if (crc.equals(expected)) {
                        LOG.warning("snapshot file " + f + ": cleared a Chronicle Map lock that a process left "
                                + "when it stopped while reading; the file matches its checksum again");
                    }
                }
                if (!crc.equals(expected)) {
                    throw new SnapshotCorruptException(f, "checksum crc32c=" + crc + " expected=" + expected
                            + (isChronicle(name) && !lock.alone() ? " (the file is damaged, or a process that has "
                            + "this snapshot open is reading it: Chronicle Map keeps its readers' locks in the file; "
                            + "check it with no server on the snapshot)" : " (the file is damaged)"));
                }
            }
        }
    }

    private static boolean isChronicle(String name) {
        return name.equals(SnapshotFiles.HOUSEHOLDS) || name.equals(SnapshotFiles.CNIC_INDEX);
    }

    /**
     * For a Chronicle Map file whose checksum differs: when this opener is alone with the snapshot, runs Chronicle's
     * recovery, which clears the segment locks a stopped process left in it (see {@link SnapshotLock}), and
     * returns true; the caller checksums again.
     */
    private boolean chronicleLocks(String name) throws IOException {
        if (!isChronicle(name) || !lock.alone()) {
            return false;
        }
        try {
            ChronicleMaps.recover(file(name).toFile(), name.equals(SnapshotFiles.CNIC_INDEX));
            return true;
        } catch (RuntimeException e) {
            throw new SnapshotCorruptException(file(name), "checksum differs and it cannot be recovered as a "
                    + "Chronicle Map: " + e, e);
        }
    }

    /** Opens a file that only Chronicle can read. */
    private interface Opener<T> {
        T open(Path file) throws IOException;
    }

    private <T> T chronicle(String name, Opener<T> opener) throws IOException {
        try {
            return opener.open(file(name));
        } catch (RuntimeException e) {
            throw new SnapshotCorruptException(file(name), "cannot open as a Chronicle Map: " + e, e);
        }
    }

    private void checkCounts() {
        long n = manifest.households();
        expect(SnapshotFiles.HOUSEHOLDS, "entries", households.size(), n);
        expect(SnapshotFiles.CNIC_INDEX, "entries", cnics.size(), manifest.ids());
        expect(SnapshotFiles.HOUSEHOLD_IDS, "entries", householdIds.size(), n);
        expect(SnapshotFiles.BITMAPS, "universe", bitmaps.universe(), n);
        expect(SnapshotFiles.PMT_INDEX, "universe", pmt.universe(), n);
    }

    private void expect(String name, String what, long found, long expected) {
        if (found != expected) {
            throw new SnapshotCorruptException(file(name), what + "=" + found + " but " + SnapshotFiles.MANIFEST
                    + " says " + expected);
        }
    }

    public Path dir() {
        return dir;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** Households now: those of the files plus any a live update added. */
    public int householdCount() {
        return delta.count();
    }

    /** Members now (living or not), counting live updates. */
    public long memberCount() {
        return delta.members();
    }

    /** CNICs/B-Forms now, counting live updates. */
    public long idCount() {
        return delta.ids();
    }

    /** The dictionary: the file's strings, then any that live updates added. */
    public StringDictionary dictionary() {
        return dictionary;
    }

    /** The number of dictionary strings the files hold (ids from here on were added by live updates). */
    public int baseDictionarySize() {
        return baseDictionary;
    }

    public Geography geography() {
        return geography;
    }

    public HouseholdIdIndex householdIds() {
        return householdIds;
    }

    public BitmapIndex bitmaps() {
        return bitmaps;
    }

    public PmtIndex pmt() {
        return pmt;
    }

    public HouseholdStore households() {
        return households;
    }

    public CnicIndex cnics() {
        return cnics;
    }

    /**
     * Reads the household at {@code ordinal} as it is now; false when there is none. A household changed by a
     * live update is read from the {@link Delta}; otherwise from the file, and when the snapshot was re-scored
     * ({@code scores.bin}) the record carries the new score and model version.
     */
    public boolean read(int ordinal, HouseholdRecord into) {
        byte[] changed = delta.record(ordinal);
        if (changed != null) {
            System.arraycopy(changed, 0, into.buffer(changed.length), 0, changed.length);
            into.wrapBuffer(changed.length);
            return true;
        }
        if (!households.read(ordinal, into)) {
            return false;
        }
        ScoreColumn scores = pmtFiles.scores;
        if (scores != null) {
            into.setPmt(scores.get(ordinal), scores.modelVersion());
        }
        return true;
    }

    /** Reads the household at {@code ordinal} as the files hold it (re-scored), ignoring live updates. */
    boolean readFiles(int ordinal, HouseholdRecord into) {
        if (!households.read(ordinal, into)) {
            return false;
        }
        ScoreColumn scores = pmtFiles.scores;
        if (scores != null) {
            into.setPmt(scores.get(ordinal), scores.modelVersion());
        }
        return true;
    }

    /** Reads the first {@code count} households in ordinal order (as {@link #read}), visiting each with its ordinal. */
    public void scan(int count, ObjIntConsumer<HouseholdRecord> visitor) {
        HouseholdRecord r = new HouseholdRecord();
        for (int ordinal = 0; ordinal < count; ordinal++) {
            if (!read(ordinal, r)) {
                throw new IllegalStateException("no household at ordinal " + ordinal);
            }
            visitor.accept(r, ordinal);
        }
    }

    /** The PMT indicator column ({@code pmt-indicators.bin}), or null when the snapshot has none. */
    public PmtIndicatorColumn pmtIndicators() {
        return pmtFiles.indicators;
    }

    /** The re-scored scores ({@code scores.bin}), or null when the records' own scores are served. */
    public ScoreColumn scores() {
        return pmtFiles.scores;
    }

    /** The model that scored this snapshot (the manifest's {@code pmt_model}), or null when it is not known. */
    public PmtModel pmtModel() {
        return pmtFiles.model;
    }

    /** The ordinal of the household a CNIC belongs to now, or -1. */
    public int ordinalOfCnic(long cnic) {
        Integer changed = delta.cnic(cnic);
        return changed != null ? changed : cnics.ordinalOf(cnic);
    }

    /** The ordinal of the household with this NSER household id now, or -1. */
    public int ordinalOfHouseholdId(long householdId) {
        Integer added = delta.householdId(householdId);
        return added != null ? added : householdIds.ordinalOf(householdId);
    }

    /** True when the household was changed by a live update since the snapshot was built. */
    public boolean updated(int ordinal) {
        return delta.record(ordinal) != null;
    }

    /**
     * Held while reading the bitmaps or the PMT index, so that live updates, which change them under the write
     * lock, are seen whole (see {@link Delta}). Reentrant.
     */
    public Lock readLock() {
        return delta.readLock();
    }

    /** The number of households changed or added by live updates. */
    public int updatedCount() {
        return delta.changedCount();
    }

    /** A copy of the ordinals live updates changed or added since the files were written. */
    public RoaringBitmap changedOrdinals() {
        return delta.changedOrdinals();
    }

    /** The live updates held over the files. */
    public Delta delta() {
        return delta;
    }

    /**
     * Makes {@code record} the current state of the household at {@code ordinal} (or adds it, when {@code ordinal}
     * is {@link #householdCount()}): its record, id index entries and every bitmap, atomically for readers
     * holding {@link #readLock()}. The files are not written: the caller journals the change first.
     *
     * @throws DuplicateCnicException   if a member's CNIC belongs to another household
     * @throws IllegalArgumentException if the ordinal, household id or union council is wrong
     */
    public void apply(int ordinal, byte[] record) {
        delta.apply(ordinal, record, this, true);
    }

    /**
     * As {@link #apply}, without checking that a member's CNIC is free: for replaying states that were whole
     * together (an online fold's catch-up, {@link SnapshotFold#catchUp}), where a CNIC that moved between two
     * households may be met at its new household before the old one has let it go.
     */
    void applyKnown(int ordinal, byte[] record) {
        delta.apply(ordinal, record, this, false);
    }

    /** Households of {@code context} whose current score is within {@code [min, max]} hundredths. */
    public RoaringBitmap pmtBetween(int min, int max, RoaringBitmap context) {
        return delta.pmtBetween(min, max, context, pmt.range()::between);
    }

    @Override
    public void close() {
        if (households != null) {
            households.close();
        }
        if (cnics != null) {
            cnics.close();
        }
        try {
            lock.close();
        } catch (IOException e) {
            // the lock file's descriptor: closing it releases the lock whatever the outcome
        }
    }
}

package pk.gov.bisp.nser.core.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import pk.gov.bisp.nser.core.index.HouseholdIndexer;
import pk.gov.bisp.nser.core.index.MemberSlices;
import pk.gov.bisp.nser.core.record.CorruptRecordException;
import pk.gov.bisp.nser.core.record.HouseholdRecord;

/**
 * Deep verification of an opened snapshot: every record decodes, the household id and CNIC indexes point back
 * at it, every bitmap equals the one rebuilt from the records, the PMT range index agrees with the scores served,
 * the indicator column with the records, and scores with the model that computed them ({@link PmtCheck}).
 * Returns the problems found (empty when the snapshot is sound), naming the file each belongs to.
 */
public final class SnapshotVerifier {

    private static final int[] PMT_THRESHOLDS = {0, 1_000, 2_000, 3_199, 3_200, 3_699, 3_700, 5_000, 7_500, 10_000};
    /** Problems listed in full; past this only their count grows (checking goes on). */
    private static final int MAX_PROBLEMS = 20;

    private SnapshotVerifier() {
    }

    private static void report(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        } else if (problems.size() == MAX_PROBLEMS) {
            problems.add("... further problems not listed");
        }
    }

    private static void checkDictionaryIds(HouseholdRecord r, int dictSize) {
        if (r.villageId() < 0 || r.villageId() >= dictSize) {
            throw new CorruptRecordException("village id=" + r.villageId() + " beyond the dictionary (" + dictSize + ")");
        }
        for (int i = 0; i < r.memberCount(); i++) {
            if (r.nameId(i) >= dictSize || r.guardianNameId(i) >= dictSize) {
                throw new CorruptRecordException("member " + i + " name ids " + r.nameId(i) + "/" + r.guardianNameId(i)
                        + " beyond the dictionary (" + dictSize + ")");
            }
        }
    }

    /**
     * The deep check of the snapshot as it is now, live updates included: it holds the read lock, so updates
     * wait until it is done.
     */
    public static List<String> verify(Snapshot s, LongConsumer progress) {
        java.util.concurrent.locks.Lock lock = s.readLock();
        lock.lock();
        try {
            return verifyLocked(s, progress);
        } finally {
            lock.unlock();
        }
    }

    private static List<String> verifyLocked(Snapshot s, LongConsumer progress) {
        RecordPass pass = new RecordPass(s);
        int n = s.householdCount();
        for (int ordinal = 0; ordinal < n; ordinal++) {
            if ((ordinal & 0xFFFF) == 0) {
                progress.accept(ordinal);
            }
            pass.check(ordinal);
        }
        progress.accept(n);
        pass.checkCounts();
        pass.checkPmtIndex();
        pass.checkBitmaps();
        return pass.problems;
    }

    /** One pass over every record: each is checked against the indexes, and the totals and bitmaps rebuilt. */
    private static final class RecordPass {
        private final Snapshot s;
        private final List<String> problems = new ArrayList<>();
        private final int dictSize;
        private final HouseholdIndexer rebuilt;
        private final long[] lte = new long[PMT_THRESHOLDS.length];
        private final HouseholdRecord r = new HouseholdRecord();
        private final PmtCheck pmt;
        private long members;
        private long ids;

        RecordPass(Snapshot s) {
            this.s = s;
            this.dictSize = s.dictionary().size();
            this.rebuilt = new HouseholdIndexer(s.geography(), s.manifest().asOf(),
                    MemberSlices.present(s.bitmaps().all()));
            this.pmt = new PmtCheck(s);
        }

        void check(int ordinal) {
            if (!read(ordinal)) {
                return;
            }
            for (int t = 0; t < PMT_THRESHOLDS.length; t++) {
                lte[t] += r.pmtHundredths() <= PMT_THRESHOLDS[t] ? 1 : 0;
            }
            members += r.memberCount();
            try {
                r.validateFields();
                checkDictionaryIds(r, dictSize);
            } catch (CorruptRecordException e) {
                report(problems, SnapshotFiles.HOUSEHOLDS + ": ordinal " + ordinal + ": " + e.getMessage());
                return;
            }
            checkIdIndexes(ordinal);
            String pmtProblem = pmt.check(ordinal, r);
            if (pmtProblem != null) {
                report(problems, pmtProblem);
            }
            try {
                rebuilt.add(ordinal, r);
            } catch (IllegalArgumentException e) {
                report(problems, SnapshotFiles.HOUSEHOLDS + ": ordinal " + ordinal + ": " + e.getMessage());
            }
        }

        /** Reads the record at {@code ordinal} into {@link #r}, or reports why it cannot. */
        private boolean read(int ordinal) {
            try {
                if (!s.read(ordinal, r)) {
                    report(problems, SnapshotFiles.HOUSEHOLDS + ": no household at ordinal " + ordinal);
                    return false;
                }
                return true;
            } catch (CorruptRecordException e) {
                report(problems, SnapshotFiles.HOUSEHOLDS + ": ordinal " + ordinal + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                report(problems, SnapshotFiles.SCORES + ": ordinal " + ordinal + ": " + e.getMessage());
            }
            return false;
        }

        /** The household id and every member's CNIC map back to this ordinal. */
        private void checkIdIndexes(int ordinal) {
            if (s.ordinalOfHouseholdId(r.householdId()) != ordinal) {
                report(problems, SnapshotFiles.HOUSEHOLD_IDS + ": household id " + r.householdId()
                        + " does not map to ordinal " + ordinal);
            }
            for (int i = 0; i < r.memberCount(); i++) {
                long cnic = r.cnic(i);
                if (cnic != 0) {
                    ids++;
                    int o = s.ordinalOfCnic(cnic);
                    if (o != ordinal) {
                        report(problems, SnapshotFiles.CNIC_INDEX + ": CNIC " + cnic + " maps to " + o + " not "
                                + ordinal);
                    }
                }
            }
        }

        void checkCounts() {
            if (members != s.memberCount()) {
                report(problems, SnapshotFiles.MANIFEST + ": members=" + s.memberCount() + " but records hold "
                        + members);
            }
            if (ids != s.idCount()) {
                report(problems, SnapshotFiles.MANIFEST + ": ids=" + s.idCount() + " but records hold " + ids);
            }
        }

        void checkPmtIndex() {
            RoaringBitmap all = new RoaringBitmap();
            all.add(0L, s.householdCount());
            for (int t = 0; t < PMT_THRESHOLDS.length; t++) {
                long indexed = s.pmtBetween(0, PMT_THRESHOLDS[t], all).getLongCardinality();
                if (indexed != lte[t]) {
                    report(problems, SnapshotFiles.PMT_INDEX + ": " + indexed + " households with score <= "
                            + PMT_THRESHOLDS[t] + " but records hold " + lte[t]);
                }
            }
        }

        /** Every bitmap the records put households in is stored with exactly them, and no other is stored. */
        void checkBitmaps() {
            Map<String, ImmutableRoaringBitmap> stored = s.bitmaps().all();
            for (Map.Entry<String, RoaringBitmap> e : rebuilt.bitmaps().entrySet()) {
                ImmutableRoaringBitmap b = stored.get(e.getKey());
                if (b == null) {
                    report(problems, SnapshotFiles.BITMAPS + ": bitmap " + e.getKey() + " is missing");
                } else if (!b.toRoaringBitmap().equals(e.getValue())) {
                    report(problems, SnapshotFiles.BITMAPS + ": bitmap " + e.getKey() + " has "
                            + b.getLongCardinality() + " households but the records put "
                            + e.getValue().getLongCardinality() + " in it");
                }
            }
            for (String name : stored.keySet()) {
                if (!rebuilt.bitmaps().containsKey(name)) {
                    report(problems, SnapshotFiles.BITMAPS + ": unexpected bitmap " + name);
                }
            }
        }
    }
}

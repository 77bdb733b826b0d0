package pk.gov.bisp.nser.core.snapshot;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.core.index.BitmapIndex;
import pk.gov.bisp.nser.core.index.BitmapMembership;
import pk.gov.bisp.nser.core.record.Bytes;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.RecordLayout;

/**
 * The households changed by live updates since the snapshot was built, held in memory over the unchanged
 * mapped files: their current records, the CNICs and household ids that moved, and which ordinals the mapped
 * PMT index no longer describes. {@link #apply} changes a household's record, id index and every bitmap under
 * the write lock, so a reader holding {@link #readLock()} sees each household entirely before or entirely after
 * an update. Point reads ({@link Snapshot#read}, {@link Snapshot#ordinalOfCnic}) need no lock: each map entry is
 * replaced whole, CNICs a household loses are released before its new record is published and CNICs it gains
 * are published after. The update journal makes all of this durable; this class only holds it.
 */
public final class Delta {

    /** A CNIC that no longer belongs to any household. */
    static final int REMOVED = -1;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Integer, byte[]> records = new ConcurrentHashMap<>();
    private final Map<Long, Integer> cnics = new ConcurrentHashMap<>();
    private final Map<Long, Integer> householdIds = new ConcurrentHashMap<>();
    /** Ordinals whose record is in {@link #records}; guarded by the lock. */
    private final RoaringBitmap changed = new RoaringBitmap();
    private final BitmapMembership membership;
    private final Set<String> oldNames = new HashSet<>();
    private final Set<String> newNames = new HashSet<>();
    private final HouseholdRecord current = new HouseholdRecord();
    private final HouseholdRecord next = new HouseholdRecord();
    private volatile boolean active;
    private volatile int count;
    private volatile long members;
    private volatile long ids;

    Delta(BitmapMembership membership, int count, long members, long ids) {
        this.membership = membership;
        this.count = count;
        this.members = members;
        this.ids = ids;
    }

    /** Held by readers of the bitmaps and the PMT index (queries, statistics, verification). Reentrant. */
    public Lock readLock() {
        return lock.readLock();
    }

    boolean active() {
        return active;
    }

    int count() {
        return count;
    }

    long members() {
        return members;
    }

    long ids() {
        return ids;
    }

    /** The changed record at {@code ordinal}, or null. */
    byte[] record(int ordinal) {
        return active ? records.get(ordinal) : null;
    }

    /** The household ordinal a changed CNIC maps to ({@link #REMOVED} when released), or null if unchanged. */
    Integer cnic(long cnic) {
        return active ? cnics.get(cnic) : null;
    }

    Integer householdId(long id) {
        return active ? householdIds.get(id) : null;
    }

    /** The number of households changed or added. */
    public int changedCount() {
        return records.size();
    }

    /** A copy of the ordinals changed or added: under the read lock, to go with what else the reader reads. */
    public RoaringBitmap changedOrdinals() {
        lock.readLock().lock();
        try {
            return changed.clone();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A copy of every changed ordinal and its record (for a checkpoint); taken under the read lock. */
    public Map<Integer, byte[]> copyRecords() {
        lock.readLock().lock();
        try {
            return Map.copyOf(records);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Households in {@code context} whose score is within {@code [min, max]} in hundredths, for the ordinals the
     * mapped index no longer describes; {@code base} answers for the others. Under the read lock.
     */
    RoaringBitmap pmtBetween(int min, int max, RoaringBitmap context, BaseRange base) {
        if (!active) {
            return base.between(min, max, context);
        }
        RoaringBitmap out = base.between(min, max, RoaringBitmap.andNot(context, changed));
        IntIterator it = RoaringBitmap.and(context, changed).getIntIterator();
        while (it.hasNext()) {
            int o = it.next();
            int score = Bytes.u16(records.get(o), RecordLayout.PMT_OFFSET);
            if (score >= min && score <= max) {
                out.add(o);
            }
        }
        return out;
    }

    /** The mapped PMT index's answer over ordinals it describes. */
    @FunctionalInterface
    interface BaseRange {
        RoaringBitmap between(int min, int max, RoaringBitmap context);
    }

    /**
     * Makes {@code record} the household at {@code ordinal}: an existing household (same household id), or a new
     * one when {@code ordinal} is the current count. Checks everything before changing anything.
     *
     * @throws DuplicateCnicException   if a member's CNIC belongs to another household
     * @throws IllegalArgumentException if the ordinal, household id or union council is wrong
     */
    void apply(int ordinal, byte[] record, Snapshot base, boolean checkCnics) {
        lock.writeLock().lock();
        try {
            next.wrap(record, record.length);
            next.validateFields();
            boolean added = ordinal == count;
            if (ordinal < 0 || ordinal > count) {
                throw new IllegalArgumentException("ordinal=" + ordinal + " outside 0.." + count);
            }
            long id = next.householdId();
            if (added) {
                int other = base.ordinalOfHouseholdId(id);
                if (other >= 0) {
                    throw new IllegalArgumentException("household id " + id + " already exists");
                }
            } else {
                base.read(ordinal, current);
                if (current.householdId() != id) {
                    throw new IllegalArgumentException("ordinal " + ordinal + " holds household "
                            + current.householdId() + ", not " + id);
                }
            }
            if (checkCnics) {
                checkCnics(ordinal, id, base);
            }
            newNames.clear();
            membership.namesOf(next, newNames);
            oldNames.clear();
            if (!added) {
                membership.namesOf(current, oldNames);
            }
            publish(ordinal, record, added, base);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkCnics(int ordinal, long id, Snapshot base) {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < next.memberCount(); i++) {
            long c = next.cnic(i);
            if (c == 0) {
                continue;
            }
            if (!seen.add(c)) {
                throw new DuplicateCnicException(c, id, id);
            }
            int owner = base.ordinalOfCnic(c);
            if (owner >= 0 && owner != ordinal) {
                HouseholdRecord other = new HouseholdRecord();
                base.read(owner, other);
                throw new DuplicateCnicException(c, id, other.householdId());
            }
        }
    }

    private void publish(int ordinal, byte[] record, boolean added, Snapshot base) {
        BitmapIndex bitmaps = base.bitmaps();
        long memberChange = next.memberCount();
        long idChange = 0;
        if (!added) {
            memberChange -= current.memberCount();
            for (int i = 0; i < current.memberCount(); i++) {
                long c = current.cnic(i);
                if (c != 0) {
                    idChange--;
                    if (next.memberIndexOf(c) < 0 && base.ordinalOfCnic(c) == ordinal) {
                        // (another household may have taken it already, in a fold's catch-up)
                        cnics.put(c, REMOVED);
                    }
                }
            }
        }
        active = true;
        records.put(ordinal, record);
        for (int i = 0; i < next.memberCount(); i++) {
            long c = next.cnic(i);
            if (c != 0) {
                idChange++;
                cnics.put(c, ordinal);
            }
        }
        if (added) {
            householdIds.put(next.householdId(), ordinal);
            bitmaps.growUniverse(ordinal + 1L);
            count = ordinal + 1;
        }
        for (String name : oldNames) {
            if (!newNames.contains(name)) {
                bitmaps.mutable(name).remove(ordinal);
            }
        }
        for (String name : newNames) {
            if (!oldNames.contains(name)) {
                bitmaps.mutable(name).add(ordinal);
            }
        }
        changed.add(ordinal);
        members += memberChange;
        ids += idChange;
    }
}

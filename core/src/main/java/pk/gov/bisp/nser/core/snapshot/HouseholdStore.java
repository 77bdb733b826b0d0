package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import pk.gov.bisp.nser.core.record.HouseholdRecord;

/**
 * The households Chronicle Map (ordinal to record bytes). A read copies the record's bytes from the mapped
 * file into the caller's reusable {@link HouseholdRecord}, under the segment's read lock: no allocation
 * beyond boxing the key.
 */
public final class HouseholdStore implements AutoCloseable {

    private final ChronicleMap<Integer, byte[]> map;

    HouseholdStore(ChronicleMap<Integer, byte[]> map) {
        this.map = map;
    }

    public static HouseholdStore open(Path file) throws IOException {
        return new HouseholdStore(ChronicleMaps.openHouseholds(file.toFile()));
    }

    /** Reads the record at {@code ordinal} into {@code into}; false when there is none. */
    public boolean read(int ordinal, HouseholdRecord into) {
        int size;
        try (ExternalMapQueryContext<Integer, byte[], ?> c = map.queryContext(ordinal)) {
            MapEntry<Integer, byte[]> e = c.entry();
            if (e == null) {
                return false;
            }
            Data<byte[]> v = e.value();
            size = (int) v.size();
            v.bytes().read(v.offset(), into.buffer(size), 0, size);
        }
        into.wrapBuffer(size);
        return true;
    }

    /** Calls {@code visitor} with (record, ordinal) for every household, in ordinal order. */
    public void scan(int count, java.util.function.ObjIntConsumer<HouseholdRecord> visitor) {
        HouseholdRecord r = new HouseholdRecord();
        for (int ordinal = 0; ordinal < count; ordinal++) {
            if (!read(ordinal, r)) {
                throw new IllegalStateException("no household at ordinal " + ordinal);
            }
            visitor.accept(r, ordinal);
        }
    }

    public void put(int ordinal, byte[] record) {
        map.put(ordinal, record);
    }

    public long size() {
        return map.longSize();
    }

    @Override
    public void close() {
        map.close();
    }
}

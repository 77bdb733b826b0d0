package pk.gov.bisp.nser.core.snapshot;

import java.io.File;
import java.io.IOException;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * The one place that creates or opens Chronicle Maps. Its static initialiser turns Chronicle's analytics off
 * before any Chronicle class loads (the artifact is also excluded from the build): a registry of citizens'
 * data never phones home.
 */
public final class ChronicleMaps {

    static {
        disableAnalytics();
    }

    private ChronicleMaps() {
    }

    /** Sets {@code chronicle.analytics.disable=true}; entry points call it first thing. */
    public static void disableAnalytics() {
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        System.setProperty("chronicle.disk.monitor.disable", "true");
    }

    /** A new map of household ordinal to record bytes. */
    public static ChronicleMap<Integer, byte[]> createHouseholds(File file, long entries, double averageRecord)
            throws IOException {
        return ChronicleMap.of(Integer.class, byte[].class)
                .name("nser-households")
                .entries(Math.max(1_000, entries))
                .averageValueSize(Math.max(64, averageRecord))
                .actualChunkSize(16)
                .maxBloatFactor(4.0)
                .createPersistedTo(file);
    }

    /** A new map of 13-digit CNIC/B-Form to household ordinal. */
    public static ChronicleMap<Long, Integer> createCnicIndex(File file, long entries) throws IOException {
        return ChronicleMap.of(Long.class, Integer.class)
                .name("nser-cnic-index")
                .entries(Math.max(1_000, entries))
                .maxBloatFactor(4.0)
                .createPersistedTo(file);
    }

    /** Opens an existing households map (its configuration is read from the file). */
    public static ChronicleMap<Integer, byte[]> openHouseholds(File file) throws IOException {
        return existingHouseholds().createPersistedTo(file);
    }

    public static ChronicleMap<Long, Integer> openCnicIndex(File file) throws IOException {
        return existingCnicIndex().createPersistedTo(file);
    }

    /**
     * Chronicle's recovery of a persisted households map (or, with {@code cnicIndex}, the CNIC index): clears the
     * segment locks a process left when it stopped while holding them. Only for a caller alone with the file
     * ({@link SnapshotLock}).
     */
    static void recover(File file, boolean cnicIndex) throws IOException {
        if (cnicIndex) {
            existingCnicIndex().recoverPersistedTo(file, true).close();
        } else {
            existingHouseholds().recoverPersistedTo(file, true).close();
        }
    }

    /** A builder for an existing households file: the sizes here are placeholders, the file's own are used. */
    private static ChronicleMapBuilder<Integer, byte[]> existingHouseholds() {
        return ChronicleMap.of(Integer.class, byte[].class).name("nser-households").averageValueSize(64)
                .entries(1_000);
    }

    private static ChronicleMapBuilder<Long, Integer> existingCnicIndex() {
        return ChronicleMap.of(Long.class, Integer.class).name("nser-cnic-index").entries(1_000);
    }
}

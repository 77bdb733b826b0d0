package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import net.openhft.chronicle.map.ChronicleMap;

/** The id index Chronicle Map: every member's 13-digit CNIC/B-Form to its household ordinal. */
public final class CnicIndex implements AutoCloseable {

    private final ChronicleMap<Long, Integer> map;

    CnicIndex(ChronicleMap<Long, Integer> map) {
        this.map = map;
    }

    public static CnicIndex open(Path file) throws IOException {
        return new CnicIndex(ChronicleMaps.openCnicIndex(file.toFile()));
    }

    /** The household ordinal of this CNIC, or -1. */
    public int ordinalOf(long cnic) {
        Integer o = map.get(cnic);
        return o == null ? -1 : o;
    }

    /** Adds a CNIC; returns the ordinal that already held it, or -1 when it was new. */
    public int putIfAbsent(long cnic, int ordinal) {
        Integer prev = map.putIfAbsent(cnic, ordinal);
        return prev == null ? -1 : prev;
    }

    public long size() {
        return map.longSize();
    }

    @Override
    public void close() {
        map.close();
    }
}

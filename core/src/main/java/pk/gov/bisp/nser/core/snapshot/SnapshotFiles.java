package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** The file names of a snapshot directory, and a durable write of a new file. */
public final class SnapshotFiles {

    public static final String MANIFEST = "manifest.json";
    public static final String HOUSEHOLDS = "households.cm";
    public static final String CNIC_INDEX = "cnic-index.cm";
    public static final String HOUSEHOLD_IDS = "household-ids.bin";
    public static final String DICTIONARY = "strings.dict";
    public static final String BITMAPS = "bitmaps.bin";
    public static final String PMT_INDEX = "pmt.rbm";
    public static final String GEOGRAPHY = "geography.json";

    /** Every data file, in the order the manifest lists them. */
    public static final List<String> DATA_FILES = List.of(HOUSEHOLDS, CNIC_INDEX, HOUSEHOLD_IDS, DICTIONARY, BITMAPS,
            PMT_INDEX, GEOGRAPHY);

    private SnapshotFiles() {
    }

    /** Writes a file that must not exist yet, and forces it to disk. */
    public static void writeNew(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }
}

package pk.gov.bisp.nser.core.snapshot;

import java.util.ArrayList;
import java.util.List;

/** The file names of a snapshot directory. */
public final class SnapshotFiles {

    public static final String MANIFEST = "manifest.json";
    public static final String HOUSEHOLDS = "households.cm";
    public static final String CNIC_INDEX = "cnic-index.cm";
    public static final String HOUSEHOLD_IDS = "household-ids.bin";
    public static final String DICTIONARY = "strings.dict";
    public static final String BITMAPS = "bitmaps.bin";
    public static final String PMT_INDEX = "pmt.rbm";
    public static final String GEOGRAPHY = "geography.json";
    public static final String PMT_INDICATORS = "pmt-indicators.bin";
    public static final String SCORES = "scores.bin";
    public static final String PMT_MODEL = "pmt-model.json";

    /** Every data file, in the order the manifest lists them. */
    public static final List<String> DATA_FILES = List.of(HOUSEHOLDS, CNIC_INDEX, HOUSEHOLD_IDS, DICTIONARY, BITMAPS,
            PMT_INDEX, GEOGRAPHY);

    /**
     * Files a snapshot may hold, listed in the manifest (after the data files, in this order) only when present:
     * the PMT indicator column, the re-scored scores, and the model that scored the snapshot.
     */
    public static final List<String> OPTIONAL_FILES = List.of(PMT_INDICATORS, SCORES, PMT_MODEL);

    private SnapshotFiles() {
    }

    /** The data files and the optional files {@code m} lists, in manifest order. */
    public static List<String> listed(Manifest m) {
        List<String> names = new ArrayList<>(DATA_FILES);
        for (String name : OPTIONAL_FILES) {
            if (m.files().containsKey(name)) {
                names.add(name);
            }
        }
        return names;
    }
}

package pk.gov.bisp.nser.core.snapshot;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.geo.SyntheticGeography;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.Households;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.stats.Marginals;

/** Small hand-made snapshots for core tests. */
public final class TestSnapshots {

    public static final Geography GEOGRAPHY = SyntheticGeography.of(Marginals.builtIn()).geography();

    private TestSnapshots() {
    }

    /** {@code n} households spread over the first union councils, CNICs from 3520200000001 upward. */
    public static List<Household> households(int n) {
        List<GeoUnit> ucs = GEOGRAPHY.units(GeoLevel.UNION_COUNCIL);
        List<Household> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int uc = ucs.get((int) ((long) i * ucs.size() / n)).code();
            out.add(Households.simple(1_000_000_001L + i, uc, 3_520_200_000_001L + i * 1_000L, 1 + i % 6));
        }
        return out;
    }

    /** Writes the households, each scored by the built-in model, as a snapshot. */
    public static Path write(Path dir, List<Household> households) throws Exception {
        PmtModel model = PmtModel.builtIn();
        StringDictionary dict = StringDictionary.empty();
        SnapshotWriter.Options o = new SnapshotWriter.Options(households.size(), households.size() * 6L, 150,
                LocalDate.of(2026, 7, 1), Map.of("source", "test"), false);
        try (SnapshotWriter w = SnapshotWriter.create(dir, o, GEOGRAPHY, dict, model)) {
            byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
            HouseholdRecord r = new HouseholdRecord();
            PmtInputs scratch = PmtModel.newScratch();
            for (Household h : households) {
                r.wrap(buf, HouseholdCodec.encode(h, dict, buf));
                model.rescore(r, scratch);
                w.append(r);
            }
            w.finish();
        }
        return dir;
    }
}

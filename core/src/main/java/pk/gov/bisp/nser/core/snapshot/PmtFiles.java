package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;
import pk.gov.bisp.nser.core.scoring.PmtModel;

/**
 * The optional PMT files of an opened snapshot, each present only when the manifest lists it: the indicator
 * column ({@code pmt-indicators.bin}), the re-scored scores ({@code scores.bin}) and the model that scored the
 * snapshot ({@code pmt-model.json}; without it, the built-in model when the manifest names it). Cross-checked
 * against the manifest on open.
 */
final class PmtFiles {

    final PmtIndicatorColumn indicators;
    final ScoreColumn scores;
    final PmtModel model;

    private PmtFiles(PmtIndicatorColumn indicators, ScoreColumn scores, PmtModel model) {
        this.indicators = indicators;
        this.scores = scores;
        this.model = model;
    }

    static PmtFiles open(Path dir, Manifest m) throws IOException {
        PmtIndicatorColumn indicators = null;
        ScoreColumn scores = null;
        if (m.files().containsKey(SnapshotFiles.PMT_INDICATORS)) {
            Path f = dir.resolve(SnapshotFiles.PMT_INDICATORS);
            indicators = PmtIndicatorColumn.open(f);
            expect(f, "rows", indicators.rows(), m.households());
        }
        if (m.files().containsKey(SnapshotFiles.SCORES)) {
            Path f = dir.resolve(SnapshotFiles.SCORES);
            scores = ScoreColumn.open(f);
            expect(f, "rows", scores.rows(), m.households());
            expect(f, "model version", scores.modelVersion(), m.pmtModelVersion());
        }
        return new PmtFiles(indicators, scores, model(dir, m));
    }

    private static PmtModel model(Path dir, Manifest m) throws IOException {
        if (!m.files().containsKey(SnapshotFiles.PMT_MODEL)) {
            PmtModel builtIn = PmtModel.builtIn();
            return builtIn.name().equals(m.pmtModelName()) && builtIn.version() == m.pmtModelVersion() ? builtIn
                    : null;
        }
        Path f = dir.resolve(SnapshotFiles.PMT_MODEL);
        PmtModel model;
        try {
            model = PmtModel.load(f);
        } catch (IOException | IllegalArgumentException e) {
            throw new SnapshotCorruptException(f, "not a PMT model: " + e.getMessage(), e);
        }
        if (!model.name().equals(m.pmtModelName()) || model.version() != m.pmtModelVersion()) {
            throw new SnapshotCorruptException(f, "model " + model.name() + " v" + model.version() + " but "
                    + SnapshotFiles.MANIFEST + " says " + m.pmtModelName() + " v" + m.pmtModelVersion());
        }
        return model;
    }

    private static void expect(Path file, String what, long found, long expected) {
        if (found != expected) {
            throw new SnapshotCorruptException(file, what + "=" + found + " but " + SnapshotFiles.MANIFEST
                    + " says " + expected);
        }
    }
}

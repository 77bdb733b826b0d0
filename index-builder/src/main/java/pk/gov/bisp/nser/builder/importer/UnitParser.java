package pk.gov.bisp.nser.builder.importer;

import com.fasterxml.jackson.core.JsonProcessingException;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.json.InvalidFieldsException;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.Member;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;

/**
 * Turns one {@link Unit} into a record, or says why not: parses and validates every field (the rules of
 * IMPORT-FORMAT.md, shared with the update API), checks the union council and the household's own CNICs, encodes
 * the record once (its strings into the shared dictionary) and scores it unless scores are kept. What only the
 * whole import can tell (ids and CNICs unique across households) is checked later. One instance per worker thread.
 */
final class UnitParser {

    /** What became of a unit: a record ({@code reason} null) or a rejection. */
    record Outcome(Unit unit, int unionCouncil, byte[] record, long householdId, long[] cnics, String reason) {

        boolean accepted() {
            return reason == null;
        }
    }

    private final Geography geo;
    private final StringDictionary dictionary;
    private final PmtModel model;
    private final boolean keepScores;
    private final byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
    private final HouseholdRecord record = new HouseholdRecord();
    private final PmtInputs scratch = PmtModel.newScratch();
    private final int[] pmt = new int[1];

    UnitParser(Geography geo, StringDictionary dictionary, PmtModel model, boolean keepScores) {
        this.geo = geo;
        this.dictionary = dictionary;
        this.model = model;
        this.keepScores = keepScores;
    }

    Outcome parse(Unit u) {
        if (u.error() != null) {
            return rejected(u, u.error());
        }
        try {
            Household h;
            if (u.layout() != null) {
                h = HouseholdJson.parse(CsvHouseholds.household(u.rows(), u.layout()), pmt);
            } else {
                try {
                    h = HouseholdJson.parse(u.json(), pmt); // streamed, or through the tree when not plainly valid
                } catch (JsonProcessingException e) {
                    return rejected(u, "not valid JSON: " + e.getOriginalMessage());
                }
            }
            if (keepScores) {
                if (pmt[0] < 0) {
                    throw new RowException("pmt_score: missing (required with --keep-scores)");
                }
                h = h.withPmt(pmt[0], 0);
            }
            if (geo.find(GeoLevel.UNION_COUNCIL, h.address().unionCouncil()) == null) {
                throw new RowException("union_council: unknown code " + h.address().unionCouncil());
            }
            long[] cnics = cnics(h);
            int len = HouseholdCodec.encode(h, dictionary, buf);
            record.wrap(buf, len);
            if (!keepScores) {
                model.rescore(record, scratch);
            }
            return new Outcome(u, h.address().unionCouncil(), record.toByteArray(), h.householdId(), cnics, null);
        } catch (RowException | InvalidFieldsException | IllegalArgumentException e) {
            return rejected(u, e.getMessage());
        }
    }

    /** The household's CNICs and B-Forms, ascending; one given twice within it is an error. */
    private static long[] cnics(Household h) throws RowException {
        long[] all = new long[h.members().size()];
        int n = 0;
        for (Member m : h.members()) {
            if (m.cnic() != 0) {
                all[n++] = m.cnic();
            }
        }
        long[] cnics = java.util.Arrays.copyOf(all, n);
        java.util.Arrays.sort(cnics);
        for (int i = 1; i < n; i++) {
            if (cnics[i] == cnics[i - 1]) {
                throw new RowException("cnic: " + Cnic.format(cnics[i]) + " appears twice in this household");
            }
        }
        return cnics;
    }

    private static Outcome rejected(Unit u, String reason) {
        return new Outcome(u, 0, null, 0, null, reason);
    }
}

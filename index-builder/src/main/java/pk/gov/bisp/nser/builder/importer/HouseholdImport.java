package pk.gov.bisp.nser.builder.importer;

import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.json.InvalidFieldsException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.Member;

/**
 * Reads and validates a whole import file: every household is checked field by field, then across the file
 * (household ids and CNICs unique, union councils known). Errors carry the line number.
 */
public final class HouseholdImport {

    /** Input formats. */
    public enum Format { ndjson, csv }

    /** A valid household and the line it started on. */
    public record Parsed(int line, Household household) {
    }

    /** The valid households and the errors, in file order. */
    public record Result(List<Parsed> households, List<String> errors) {
    }

    private HouseholdImport() {
    }

    public static Result read(BufferedReader in, Format format, Geography geo, boolean requireScores)
            throws IOException {
        List<Parsed> ok = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<Long, Integer> householdIds = new HashMap<>();
        Map<Long, Integer> cnics = new HashMap<>();
        byte[] probe = new byte[RecordLayout.MAX_RECORD_SIZE];
        int[] pmt = new int[1];
        for (Raw raw : raws(in, format)) {
            if (raw.error() != null) {
                errors.add(raw.line() + ": " + raw.error());
                continue;
            }
            try {
                Household h = HouseholdJson.parse(raw.json(), pmt);
                if (requireScores) {
                    if (pmt[0] < 0) {
                        throw new RowException("pmt_score: missing (required with --keep-scores)");
                    }
                    h = h.withPmt(pmt[0], 0);
                }
                if (geo.find(GeoLevel.UNION_COUNCIL, h.address().unionCouncil()) == null) {
                    throw new RowException("union_council: unknown code " + h.address().unionCouncil());
                }
                HouseholdCodec.encode(h, pk.gov.bisp.nser.core.dict.StringDictionary.empty(), probe);
                checkUnique(h, raw.line(), householdIds, cnics);
                ok.add(new Parsed(raw.line(), h));
            } catch (RowException | InvalidFieldsException | IllegalArgumentException e) {
                errors.add(raw.line() + ": " + e.getMessage());
            }
        }
        return new Result(ok, errors);
    }

    private static void checkUnique(Household h, int line, Map<Long, Integer> ids, Map<Long, Integer> cnics)
            throws RowException {
        Integer prev = ids.get(h.householdId());
        if (prev != null) {
            throw new RowException("household_id: " + h.householdId() + " already used on line " + prev);
        }
        Map<Long, Integer> mine = new HashMap<>();
        for (Member m : h.members()) {
            if (m.cnic() == 0) {
                continue;
            }
            Integer other = cnics.get(m.cnic());
            if (other != null) {
                throw new RowException("cnic: " + Cnic.format(m.cnic()) + " already belongs to the household on line "
                        + other);
            }
            if (mine.put(m.cnic(), line) != null) {
                throw new RowException("cnic: " + Cnic.format(m.cnic()) + " appears twice in this household");
            }
        }
        ids.put(h.householdId(), line);
        cnics.putAll(mine);
    }

    private record Raw(int line, JsonNode json, String error) {
    }

    private static List<Raw> raws(BufferedReader in, Format format) throws IOException {
        List<Raw> out = new ArrayList<>();
        if (format == Format.csv) {
            for (CsvHouseholds.Group g : CsvHouseholds.read(in)) {
                out.add(new Raw(g.line(), g.json(), g.error()));
            }
            return out;
        }
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(new Raw(n, HouseholdJson.JSON.readTree(line), null));
            } catch (JsonProcessingException e) {
                out.add(new Raw(n, null, "not valid JSON: " + e.getOriginalMessage()));
            }
        }
        return out;
    }
}

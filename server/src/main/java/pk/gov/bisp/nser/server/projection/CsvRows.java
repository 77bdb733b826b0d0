package pk.gov.bisp.nser.server.projection;

import java.time.LocalDate;
import java.util.function.Supplier;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Asset;
import pk.gov.bisp.nser.core.schema.LandUnit;
import pk.gov.bisp.nser.core.schema.Livestock;
import pk.gov.bisp.nser.server.caller.Role;

/**
 * List rows as CSV (RFC 4180), one line per household, with the same fields per role as the JSON list rows
 * ({@link HouseholdWriter#listRow}). Members go in one {@code members} column: members separated by
 * {@code ;}, their fields by {@code |}, in the order the {@code members} header names in brackets.
 */
public final class CsvRows {

    private static final String GEO = "province_code,province,division_code,division,district_code,district,"
            + "tehsil_code,tehsil,uc_code,union_council";
    private static final String DWELLING = "house_type,rooms,toilet,drinking_water,electricity,gas,equipment,"
            + "livestock,land";
    private static final String POWER_HEADER = "household_id,pmt_score,pmt_model_version,survey_date,survey_source,"
            + GEO + ",village,address,latitude,longitude,contact_phone," + DWELLING + ",uct,cct,member_count,"
            + "members[cnic|name|guardian_name|relationship|gender|date_of_birth|age|marital_status|disability|"
            + "education|literate|school_status|employment|chronic_disease|deceased]\r\n";
    private static final String STANDARD_HEADER = "household_id," + GEO + ",village,address,member_count,"
            + "members[name|relationship|gender|age]\r\n";
    private static final String BASIC_HEADER = "id,pmt_band,pmt_model_version," + GEO + "," + DWELLING
            + ",member_count,members[relationship|gender|age|marital_status|disability|education|literate|"
            + "school_status|employment|chronic_disease|deceased]\r\n";

    private final Geography geo;
    private final StringDictionary dict;
    private final Supplier<LocalDate> today;

    public CsvRows(Geography geo, StringDictionary dict, Supplier<LocalDate> today) {
        this.geo = geo;
        this.dict = dict;
        this.today = today;
    }

    public static String header(Role role) {
        return switch (role) {
            case POWER -> POWER_HEADER;
            case STANDARD -> STANDARD_HEADER;
            case BASIC -> BASIC_HEADER;
            default -> throw new IllegalArgumentException("role " + role + " has no list projection");
        };
    }

    /**
     * Appends one household line for {@code role}; {@code pseudonym} and {@code cells} (how finely its area and
     * score are shown) are used by Basic only.
     */
    public void row(StringBuilder b, HouseholdRecord r, Role role, String pseudonym, SampleCells cells) {
        switch (role) {
            case POWER -> power(b, r);
            case STANDARD -> standard(b, r);
            case BASIC -> basic(b, r, pseudonym, cells);
            default -> throw new IllegalArgumentException("role " + role + " has no list projection");
        }
        b.setLength(b.length() - 1);
        b.append("\r\n");
    }

    private void power(StringBuilder b, HouseholdRecord r) {
        b.append(r.householdId()).append(',');
        score(b, r);
        cell(b, r.surveyDate().toString());
        cell(b, r.surveySource().key());
        geography(b, r);
        cell(b, dict.get(r.villageId()));
        cell(b, r.addressText());
        b.append(r.latitudeE6() / 1e6).append(',').append(r.longitudeE6() / 1e6).append(',');
        cell(b, r.phone() == 0 ? "" : Long.toString(r.phone()));
        dwelling(b, r);
        b.append(r.uct()).append(',').append(r.cct()).append(',').append(r.memberCount()).append(',');
        StringBuilder m = new StringBuilder(64 * r.memberCount());
        LocalDate on = today.get();
        for (int i = 0; i < r.memberCount(); i++) {
            long cnic = r.cnic(i);
            m.append(i == 0 ? "" : ";").append(cnic == 0 ? "" : Cnic.format(cnic)).append('|')
                    .append(dict.get(r.nameId(i))).append('|').append(dict.get(r.guardianNameId(i))).append('|')
                    .append(r.relationship(i).key()).append('|').append(r.gender(i).key()).append('|')
                    .append(r.dateOfBirth(i)).append('|').append(r.ageOn(i, on)).append('|');
            details(m, r, i);
        }
        cell(b, m.toString());
    }

    private void standard(StringBuilder b, HouseholdRecord r) {
        b.append(r.householdId()).append(',');
        geography(b, r);
        cell(b, dict.get(r.villageId()));
        cell(b, r.addressText());
        b.append(r.memberCount()).append(',');
        StringBuilder m = new StringBuilder(32 * r.memberCount());
        LocalDate on = today.get();
        for (int i = 0; i < r.memberCount(); i++) {
            m.append(i == 0 ? "" : ";").append(dict.get(r.nameId(i))).append('|').append(r.relationship(i).key())
                    .append('|').append(r.gender(i).key()).append('|').append(r.ageOn(i, on));
        }
        cell(b, m.toString());
    }

    private void basic(StringBuilder b, HouseholdRecord r, String pseudonym, SampleCells cells) {
        cell(b, pseudonym);
        int score = r.pmtHundredths();
        boolean band = cells.bandShown(r.unionCouncil(), score);
        cell(b, band ? SampleCells.bandText(SampleCells.band(score)) : "");
        b.append(r.pmtModelVersion()).append(',');
        GeoLevel finest = cells.finest(r.unionCouncil(), score);
        int uc = r.unionCouncil();
        for (GeoLevel l : GeoLevel.values()) { // the same columns as the other roles, empty below the finest shown
            if (finest != null && l.ordinal() <= finest.ordinal()) {
                int code = geo.ancestorOfUc(uc, l);
                b.append(code).append(',');
                cell(b, geo.get(l, code).name());
            } else {
                b.append(",,");
            }
        }
        dwelling(b, r);
        b.append(r.memberCount()).append(',');
        StringBuilder m = new StringBuilder(48 * r.memberCount());
        LocalDate on = today.get();
        for (int i = 0; i < r.memberCount(); i++) {
            m.append(i == 0 ? "" : ";").append(r.relationship(i).key()).append('|').append(r.gender(i).key())
                    .append('|').append(r.ageOn(i, on)).append('|');
            details(m, r, i);
        }
        cell(b, m.toString());
    }

    private static void details(StringBuilder m, HouseholdRecord r, int i) {
        m.append(r.maritalStatus(i).key()).append('|').append(r.disability(i).key()).append('|')
                .append(r.education(i).key()).append('|').append(r.literate(i)).append('|')
                .append(r.schoolStatus(i).key()).append('|').append(r.employment(i).key()).append('|')
                .append(r.chronicDisease(i)).append('|').append(r.deceased(i));
    }

    private static void score(StringBuilder b, HouseholdRecord r) {
        int s = r.pmtHundredths();
        b.append(s / 100).append('.').append((char) ('0' + s % 100 / 10)).append((char) ('0' + s % 10)).append(',');
        b.append(r.pmtModelVersion()).append(',');
    }

    private void geography(StringBuilder b, HouseholdRecord r) {
        int uc = r.unionCouncil();
        for (GeoLevel l : GeoLevel.values()) {
            int code = geo.ancestorOfUc(uc, l);
            b.append(code).append(',');
            cell(b, geo.get(l, code).name());
        }
    }

    private static void dwelling(StringBuilder b, HouseholdRecord r) {
        cell(b, r.houseType().key());
        b.append(r.rooms()).append(',');
        cell(b, r.toilet().key());
        cell(b, r.water().key());
        cell(b, r.electricity().key());
        cell(b, r.gas().key());
        StringBuilder x = new StringBuilder();
        int bits = r.assetBits();
        for (Asset a : Asset.values()) {
            if ((bits & (1 << a.ordinal())) != 0) {
                x.append(x.length() == 0 ? "" : " ").append(a.key());
            }
        }
        cell(b, x.toString());
        x.setLength(0);
        for (Livestock l : Livestock.values()) {
            x.append(x.length() == 0 ? "" : " ").append(l.key()).append('=').append(r.livestock(l));
        }
        cell(b, x.toString());
        x.setLength(0);
        for (LandUnit u : LandUnit.values()) {
            x.append(x.length() == 0 ? "" : " ").append(u.key()).append('=').append(r.land(u));
        }
        cell(b, x.toString());
    }

    /**
     * Appends a cell and a comma, quoted when it holds a comma, quote or line break. A text starting with
     * {@code = + - @}, a tab or a carriage return gets a leading {@code '} so a spreadsheet opening the file
     * shows it instead of evaluating it as a formula (OWASP's advice against CSV injection).
     */
    static void cell(StringBuilder b, String value) {
        if (value == null) {
            b.append(',');
            return;
        }
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        boolean quote = false;
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (quote) {
            b.append('"').append(v.replace("\"", "\"\"")).append('"');
        } else {
            b.append(v);
        }
        b.append(',');
    }
}

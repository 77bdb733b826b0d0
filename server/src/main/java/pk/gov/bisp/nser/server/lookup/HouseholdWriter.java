package pk.gov.bisp.nser.server.lookup;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.LocalDate;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Asset;
import pk.gov.bisp.nser.core.schema.LandUnit;
import pk.gov.bisp.nser.core.schema.Livestock;
import pk.gov.bisp.nser.server.config.Role;

/**
 * Writes a household for one role, following the data-sharing plan's CNIC search table (8.2.2):
 * <ul>
 * <li>Power: the complete household: every member's CNIC, contact number, address with coordinates,
 *     dwelling, assets, programme status, PMT score;</li>
 * <li>Standard: head and members with names, address (no coordinates), assets and PMT score; no CNIC but
 *     the one searched, no contact number;</li>
 * <li>Basic: the searched person's name, the address (no coordinates) and the PMT score only.</li>
 * </ul>
 * Each role has its own write path, so a field outside it is never reached.
 */
public final class HouseholdWriter {

    private final Geography geo;
    private final StringDictionary dict;
    private final LocalDate asOf;

    public HouseholdWriter(Geography geo, StringDictionary dict, LocalDate asOf) {
        this.geo = geo;
        this.dict = dict;
        this.asOf = asOf;
    }

    public void write(JsonGenerator g, HouseholdRecord r, int searched, Role role) throws IOException {
        switch (role) {
            case POWER -> power(g, r, searched);
            case STANDARD -> standard(g, r, searched);
            case BASIC -> basic(g, r, searched);
            default -> throw new IllegalArgumentException("role " + role + " has no household projection");
        }
    }

    private void power(JsonGenerator g, HouseholdRecord r, int searched) throws IOException {
        g.writeStartObject();
        g.writeNumberField("household_id", r.householdId());
        pmt(g, r);
        g.writeStringField("survey_date", r.surveyDate().toString());
        g.writeStringField("survey_source", r.surveySource().key());
        address(g, r, true);
        g.writeStringField("contact_phone", r.phone() == 0 ? null : Long.toString(r.phone()));
        g.writeObjectFieldStart("dwelling");
        g.writeStringField("house_type", r.houseType().key());
        g.writeNumberField("rooms", r.rooms());
        g.writeStringField("toilet", r.toilet().key());
        g.writeStringField("drinking_water", r.water().key());
        g.writeStringField("electricity", r.electricity().key());
        g.writeStringField("gas", r.gas().key());
        g.writeEndObject();
        assets(g, r);
        g.writeObjectFieldStart("programmes");
        g.writeBooleanField("uct", r.uct());
        g.writeBooleanField("cct", r.cct());
        g.writeEndObject();
        g.writeArrayFieldStart("members");
        for (int i = 0; i < r.memberCount(); i++) {
            g.writeStartObject();
            cnic(g, r.cnic(i));
            g.writeBooleanField("searched", i == searched);
            memberDetails(g, r, i);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void standard(JsonGenerator g, HouseholdRecord r, int searched) throws IOException {
        g.writeStartObject();
        g.writeNumberField("household_id", r.householdId());
        pmt(g, r);
        address(g, r, false);
        assets(g, r);
        g.writeArrayFieldStart("members");
        for (int i = 0; i < r.memberCount(); i++) {
            g.writeStartObject();
            if (i == searched) {
                cnic(g, r.cnic(i));
            }
            g.writeBooleanField("searched", i == searched);
            memberDetails(g, r, i);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void basic(JsonGenerator g, HouseholdRecord r, int searched) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", dict.get(r.nameId(searched)));
        address(g, r, false);
        pmt(g, r);
        g.writeEndObject();
    }

    private static void pmt(JsonGenerator g, HouseholdRecord r) throws IOException {
        g.writeFieldName("pmt_score");
        g.writeNumber(java.math.BigDecimal.valueOf(r.pmtHundredths(), 2));
        g.writeNumberField("pmt_model_version", r.pmtModelVersion());
    }

    private static void cnic(JsonGenerator g, long cnic) throws IOException {
        g.writeStringField("cnic", cnic == 0 ? null : Cnic.format(cnic));
    }

    private void memberDetails(JsonGenerator g, HouseholdRecord r, int i) throws IOException {
        g.writeStringField("name", dict.get(r.nameId(i)));
        g.writeStringField("guardian_name", dict.get(r.guardianNameId(i)));
        g.writeStringField("relationship", r.relationship(i).key());
        g.writeStringField("gender", r.gender(i).key());
        g.writeStringField("date_of_birth", r.dateOfBirth(i).toString());
        g.writeNumberField("age", r.ageOn(i, asOf));
        g.writeStringField("marital_status", r.maritalStatus(i).key());
        g.writeStringField("disability", r.disability(i).key());
        g.writeStringField("education", r.education(i).key());
        g.writeBooleanField("literate", r.literate(i));
        g.writeStringField("school_status", r.schoolStatus(i).key());
        g.writeStringField("employment", r.employment(i).key());
        g.writeBooleanField("chronic_disease", r.chronicDisease(i));
        g.writeBooleanField("deceased", r.deceased(i));
    }

    private void address(JsonGenerator g, HouseholdRecord r, boolean coordinates) throws IOException {
        int uc = r.unionCouncil();
        g.writeObjectFieldStart("address");
        for (GeoLevel l : GeoLevel.values()) {
            GeoUnit u = geo.find(l, l == GeoLevel.UNION_COUNCIL ? uc : geo.ancestorOfUc(uc, l));
            g.writeObjectFieldStart(l == GeoLevel.UNION_COUNCIL ? "union_council" : l.key());
            g.writeNumberField("code", u.code());
            g.writeStringField("name", u.name());
            g.writeEndObject();
        }
        g.writeStringField("village", dict.get(r.villageId()));
        g.writeStringField("text", r.addressText());
        if (coordinates) {
            g.writeFieldName("latitude");
            g.writeNumber(java.math.BigDecimal.valueOf(r.latitudeE6(), 6));
            g.writeFieldName("longitude");
            g.writeNumber(java.math.BigDecimal.valueOf(r.longitudeE6(), 6));
        }
        g.writeEndObject();
    }

    private static void assets(JsonGenerator g, HouseholdRecord r) throws IOException {
        g.writeObjectFieldStart("assets");
        g.writeArrayFieldStart("equipment");
        for (Asset a : Asset.values()) {
            if (r.hasAsset(a)) {
                g.writeString(a.key());
            }
        }
        g.writeEndArray();
        g.writeObjectFieldStart("livestock");
        for (Livestock l : Livestock.values()) {
            g.writeNumberField(l.key(), r.livestock(l));
        }
        g.writeEndObject();
        g.writeObjectFieldStart("land");
        for (LandUnit u : LandUnit.values()) {
            g.writeNumberField(u.key(), r.land(u));
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}

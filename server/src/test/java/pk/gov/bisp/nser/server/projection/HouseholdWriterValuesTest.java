package pk.gov.bisp.nser.server.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Asset;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.json.JsonBytes;

/**
 * The values a Power household carries, member by member, against the record they come from: CNICs, names,
 * dates of birth, ages (on days that test birthdays and leap days), every enum and flag of a member and of the
 * dwelling, the equipment, score, coordinates, survey date.
 */
class HouseholdWriterValuesTest {

    private static final List<LocalDate> DAYS = List.of(LocalDate.of(2026, 2, 28), LocalDate.of(2028, 2, 29),
            LocalDate.of(2026, 12, 31), LocalDate.of(2027, 1, 1));
    /** The address's lines, by {@link GeoLevel}. */
    private static final List<String> LINES = List.of("province", "division", "district", "tehsil", "union_council");
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Test
    void everyValueShouldMatchTheRecord() throws Exception {
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            JsonBytes out = new JsonBytes(256);
            int members = 0;
            java.util.Set<String> kinds = new java.util.HashSet<>();
            java.util.Set<String> lines = new java.util.HashSet<>();
            for (LocalDate today : DAYS) {
                HouseholdWriter w = new HouseholdWriter(s.geography(), s.dictionary(), () -> today);
                for (int o = 0; o < s.householdCount(); o += 37) {
                    s.read(o, r);
                    out.reset();
                    w.write(out, r, 0, Role.POWER);
                    JsonNode j = EXACT.readTree(out.toByteArray());
                    String where = "household " + r.householdId() + " on " + today;
                    assertEquals(r.householdId(), j.get("household_id").asLong(), where);
                    assertEquals(0, BigDecimal.valueOf(r.pmtHundredths(), 2).compareTo(j.get("pmt_score").decimalValue()), where);
                    assertEquals(LocalDate.ofEpochDay(r.surveyEpochDay()).toString(), j.get("survey_date").asText(),
                            where);
                    JsonNode address = j.get("address");
                    String text = new String(out.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
                    assertTrue(text.contains("\"latitude\":" + BigDecimal.valueOf(r.latitudeE6(), 6).toPlainString()
                            + ",\"longitude\":" + BigDecimal.valueOf(r.longitudeE6(), 6).toPlainString() + "}"), where);
                    assertEquals(r.unionCouncil(), address.get("union_council").get("code").asInt(), where);
                    for (GeoLevel l : GeoLevel.values()) { // each line, shared with the neighbours or not
                        GeoUnit u = s.geography().get(l, s.geography().ancestorOfUc(r.unionCouncil(), l));
                        JsonNode line = address.get(LINES.get(l.ordinal()));
                        assertEquals(u.code(), line.get("code").asInt(), where + " " + l);
                        assertEquals(u.name(), line.get("name").asText(), where + " " + l);
                        lines.add(u.level() + " " + u.code());
                    }
                    assertEquals(List.of("province", "division", "district", "tehsil", "union_council", "village",
                            "text", "latitude", "longitude"), fieldNames(address), where);
                    assertEquals(r.addressText(), address.get("text").asText(), where);
                    JsonNode d = j.get("dwelling");
                    assertEquals(r.houseType().key(), d.get("house_type").asText(), where);
                    assertEquals(r.rooms(), d.get("rooms").asInt(), where);
                    assertEquals(r.toilet().key(), d.get("toilet").asText(), where);
                    assertEquals(r.water().key(), d.get("drinking_water").asText(), where);
                    assertEquals(r.electricity().key(), d.get("electricity").asText(), where);
                    assertEquals(r.gas().key(), d.get("gas").asText(), where);
                    List<String> equipment = new java.util.ArrayList<>();
                    for (Asset a : Asset.values()) {
                        if (r.hasAsset(a)) {
                            equipment.add(a.key());
                        }
                    }
                    List<String> written = new java.util.ArrayList<>();
                    j.get("assets").get("equipment").forEach(e -> written.add(e.asText()));
                    assertEquals(equipment, written, where);
                    kinds.add(r.toilet().ordinal() + "/" + r.water().ordinal() + "/" + r.electricity().ordinal());
                    JsonNode m = j.get("members");
                    assertEquals(r.memberCount(), m.size(), where);
                    for (int i = 0; i < r.memberCount(); i++) {
                        JsonNode x = m.get(i);
                        assertEquals(r.cnic(i) == 0 ? null : Cnic.format(r.cnic(i)),
                                x.get("cnic").isNull() ? null : x.get("cnic").asText(), where);
                        assertEquals(s.dictionary().get(r.nameId(i)), x.get("name").asText(), where);
                        assertEquals(r.dateOfBirth(i).toString(), x.get("date_of_birth").asText(), where);
                        assertEquals(r.ageOn(i, today), x.get("age").asInt(), where + " member " + i);
                        String who = where + " member " + i;
                        assertEquals(r.relationship(i).key(), x.get("relationship").asText(), who);
                        assertEquals(r.gender(i).key(), x.get("gender").asText(), who);
                        assertEquals(r.maritalStatus(i).key(), x.get("marital_status").asText(), who);
                        assertEquals(r.disability(i).key(), x.get("disability").asText(), who);
                        assertEquals(r.education(i).key(), x.get("education").asText(), who);
                        assertEquals(r.literate(i), x.get("literate").asBoolean(), who);
                        assertEquals(r.schoolStatus(i).key(), x.get("school_status").asText(), who);
                        assertEquals(r.employment(i).key(), x.get("employment").asText(), who);
                        assertEquals(r.chronicDisease(i), x.get("chronic_disease").asBoolean(), who);
                        assertEquals(r.deceased(i), x.get("deceased").asBoolean(), who);
                        assertEquals(i == 0, x.get("searched").asBoolean(), who);
                        members++;
                    }
                }
            }
            assertTrue(members > 5_000, "members checked: " + members);
            assertTrue(kinds.size() > 20, "combinations of dwelling services checked: " + kinds.size());
            assertTrue(lines.size() > 100, "address lines checked: " + lines.size());
        }
    }

    @Test
    void stringsAddedToTheDictionaryAfterTheWriterWasMadeShouldBeWrittenToo() throws Exception {
        try (Snapshot s = TestServer.openSnapshot()) {
            List<String> all = s.dictionary().toList();
            int half = all.size() / 2;
            // a writer made when the dictionary held half its strings; live updates then add the rest, same ids
            StringDictionary growing = StringDictionary.of(all.subList(0, half));
            HouseholdWriter early = new HouseholdWriter(s.geography(), growing, () -> DAYS.get(0));
            all.subList(half, all.size()).forEach(growing::idOf);
            HouseholdWriter made = new HouseholdWriter(s.geography(), s.dictionary(), () -> DAYS.get(0));
            HouseholdRecord r = new HouseholdRecord();
            JsonBytes a = new JsonBytes(256);
            JsonBytes b = new JsonBytes(256);
            int later = 0;
            for (int o = 0; o < s.householdCount(); o += 11) {
                s.read(o, r);
                for (Role role : List.of(Role.POWER, Role.STANDARD, Role.BASIC)) {
                    a.reset();
                    b.reset();
                    early.write(a, r, 0, role);
                    made.write(b, r, 0, role);
                    assertEquals(new String(b.toByteArray(), java.nio.charset.StandardCharsets.UTF_8),
                            new String(a.toByteArray(), java.nio.charset.StandardCharsets.UTF_8), "ordinal " + o);
                }
                later += r.nameId(0) >= half || r.villageId() >= half ? 1 : 0;
            }
            assertTrue(later > 100, "households naming a later string: " + later);
        }
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

package pk.gov.bisp.nser.server;

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
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.config.Role;
import pk.gov.bisp.nser.server.http.JsonBytes;
import pk.gov.bisp.nser.server.projection.HouseholdWriter;

/**
 * The values a Power household carries, member by member, against the record they come from: CNICs, names,
 * dates of birth, ages (on days that test birthdays and leap days), score, coordinates, survey date.
 */
class HouseholdWriterValuesTest {

    private static final List<LocalDate> DAYS = List.of(LocalDate.of(2026, 2, 28), LocalDate.of(2028, 2, 29),
            LocalDate.of(2026, 12, 31), LocalDate.of(2027, 1, 1));
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Test
    void everyValueShouldMatchTheRecord() throws Exception {
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            JsonBytes out = new JsonBytes(256);
            int members = 0;
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
                    assertEquals(r.addressText(), address.get("text").asText(), where);
                    JsonNode m = j.get("members");
                    assertEquals(r.memberCount(), m.size(), where);
                    for (int i = 0; i < r.memberCount(); i++) {
                        JsonNode x = m.get(i);
                        assertEquals(r.cnic(i) == 0 ? null : Cnic.format(r.cnic(i)),
                                x.get("cnic").isNull() ? null : x.get("cnic").asText(), where);
                        assertEquals(s.dictionary().get(r.nameId(i)), x.get("name").asText(), where);
                        assertEquals(r.dateOfBirth(i).toString(), x.get("date_of_birth").asText(), where);
                        assertEquals(r.ageOn(i, today), x.get("age").asInt(), where + " member " + i);
                        members++;
                    }
                }
            }
            assertTrue(members > 5_000, "members checked: " + members);
        }
    }
}

package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.json.JsonBytes;
import pk.gov.bisp.nser.server.projection.DciGroupWriter;
import pk.gov.bisp.nser.server.projection.HouseholdWriter;

/**
 * The Group written in one pass ({@link DciGroupWriter}) against the mapping it stands in for: the role's native
 * projection ({@link HouseholdWriter#write}) mapped by {@link RecordStream}. Byte for byte the same for every role,
 * searched member and household of the demo snapshot's first thousands, so the one-pass writer shows exactly the
 * fields the role's projection shows, no more.
 */
class DciGroupWriterTest {

    private static Snapshot snapshot;

    @BeforeAll
    static void open() throws Exception {
        snapshot = TestServer.openSnapshot();
    }

    @AfterAll
    static void close() {
        snapshot.close();
    }

    @Test
    void eachRolesGroupShouldBeWhatTheMappingMakesOfItsNativeProjection() throws Exception {
        HouseholdWriter writer = new HouseholdWriter(snapshot.geography(), snapshot.dictionary(),
                () -> LocalDate.of(2026, 12, 7));
        DciGroupWriter groups = new DciGroupWriter(writer);
        RecordStream stream = new RecordStream();
        HouseholdRecord r = new HouseholdRecord();
        JsonBytes nativeJson = new JsonBytes(4_096);
        JsonBytes mapped = new JsonBytes(4_096);
        JsonBytes direct = new JsonBytes(4_096);
        int compared = 0;
        int households = Math.min(snapshot.householdCount(), 3_000);
        for (int ordinal = 0; ordinal < households; ordinal++) {
            if (!snapshot.read(ordinal, r)) {
                continue;
            }
            int last = r.memberCount() - 1;
            for (Role role : new Role[] {Role.POWER, Role.STANDARD, Role.BASIC}) {
                for (int searched : new int[] {-1, 0, last, last / 2}) {
                    if (role == Role.BASIC && searched < 0) {
                        continue; // Basic looks up by CNIC only
                    }
                    nativeJson.reset();
                    writer.write(nativeJson, r, searched, role);
                    mapped.reset();
                    mapped.startArray();
                    stream.group(mapped, nativeJson.array(), 0, nativeJson.size());
                    mapped.endArray();
                    direct.reset();
                    direct.startArray();
                    groups.group(direct, r, searched, role);
                    direct.endArray();
                    assertEquals(text(mapped), text(direct), role + " household " + r.householdId() + " searched "
                            + searched);
                    compared++;
                }
            }
        }
        assertTrue(compared > 1_000, "compared " + compared);
    }

    @Test
    void aStandardGroupShouldCarryOnlyTheSearchedMembersCnic() throws Exception {
        HouseholdWriter writer = new HouseholdWriter(snapshot.geography(), snapshot.dictionary(),
                () -> LocalDate.of(2026, 12, 7));
        HouseholdRecord r = new HouseholdRecord();
        int ordinal = 0;
        while (!snapshot.read(ordinal, r) || r.memberCount() < 2 || r.cnic(1) == 0) {
            ordinal++;
        }
        JsonBytes g = new JsonBytes(4_096);
        new DciGroupWriter(writer).group(g, r, 1, Role.STANDARD);
        String json = text(g);
        assertEquals(1, json.split("\"member_identifier\"", -1).length - 1, json);
        assertTrue(json.contains(pk.gov.bisp.nser.core.cnic.Cnic.format(r.cnic(1))), json);
        assertFalse(json.contains("contact_phone"), json);
        assertFalse(json.contains("birth_date"), json);
        assertEquals(r.memberCount(), new ObjectMapper().readTree(json).path("member_list").size());
    }

    private static String text(JsonBytes b) {
        return new String(b.array(), 0, b.size(), StandardCharsets.UTF_8);
    }
}

package pk.gov.bisp.nser.core.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.schema.Address;
import pk.gov.bisp.nser.core.schema.Asset;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.LandUnit;
import pk.gov.bisp.nser.core.schema.Livestock;
import pk.gov.bisp.nser.core.schema.Member;

class HouseholdCodecTest {

    private final byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];

    @Test
    void shouldRoundTripEveryFieldOfAnOrdinaryHousehold() {
        StringDictionary dict = StringDictionary.empty();
        Household h = Households.simple(1_000_000_001L, 60_010_101, 3_520_212_345_671L, 5);
        int len = HouseholdCodec.encode(h, dict, buf);
        assertEquals(RecordLayout.recordSize(5, "House 7, Street 3".length()), len);
        HouseholdRecord r = new HouseholdRecord().wrap(buf, len);
        assertEquals(h, HouseholdCodec.decode(r, dict));
    }

    @Test
    void shouldRoundTripEdgeValuesAndEveryEnumConstant() {
        StringDictionary dict = StringDictionary.empty();
        Household h = Households.edges();
        int len = HouseholdCodec.encode(h, dict, buf);
        HouseholdRecord r = new HouseholdRecord().wrap(buf, len);
        r.validateFields();
        assertEquals(h, HouseholdCodec.decode(r, dict));
        assertEquals(255, r.addressText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertEquals(10_000, r.pmtHundredths());
        assertEquals(65_535, r.pmtModelVersion());
        assertEquals(LocalDate.of(2179, 6, 6), r.surveyDate());
        assertEquals(LocalDate.of(1900, 1, 1), r.dateOfBirth(0));
        assertEquals(0, r.cnic(1));
        assertEquals(Integer.MAX_VALUE, r.recordVersion());
    }

    @Test
    void flyweightShouldReadSingleFieldsWithoutDecodingTheRest() {
        StringDictionary dict = StringDictionary.empty();
        Household h = Households.simple(42L, 60_010_101, 3_520_212_345_671L, 4);
        int len = HouseholdCodec.encode(h, dict, buf);
        HouseholdRecord r = new HouseholdRecord().wrap(buf, len);
        assertEquals(42L, r.householdId());
        assertEquals(2_850, r.pmtHundredths());
        assertEquals(60_010_101, r.unionCouncil());
        assertEquals(4, r.memberCount());
        assertEquals(3_520_212_345_701L, r.cnic(3));
        assertEquals("Bilal Khan", dict.get(r.nameId(3)));
        assertEquals(2, r.memberIndexOf(3_520_212_345_691L));
        assertEquals(-1, r.memberIndexOf(1L));
        assertTrue(r.hasAsset(Asset.REFRIGERATOR));
        assertTrue(!r.hasAsset(Asset.AIR_CONDITIONER));
        assertEquals(3, r.livestock(Livestock.GOAT));
        assertEquals(10, r.land(LandUnit.MARLA));
        assertEquals(45, r.ageOn(0, LocalDate.of(2020, 3, 14)));
        assertEquals(44, r.ageOn(0, LocalDate.of(2020, 3, 13)));
    }

    @Test
    void setPmtShouldChangeOnlyTheScoreFields() {
        StringDictionary dict = StringDictionary.empty();
        int len = HouseholdCodec.encode(Households.simple(7L, 60_010_101, 3_520_212_345_671L, 3), dict, buf);
        byte[] before = java.util.Arrays.copyOf(buf, len);
        HouseholdRecord r = new HouseholdRecord().wrap(buf, len);
        r.setPmt(3_199, 2);
        assertEquals(3_199, r.pmtHundredths());
        assertEquals(2, r.pmtModelVersion());
        for (int i = 0; i < len; i++) {
            if (i < RecordLayout.PMT_OFFSET || i >= RecordLayout.PMT_MODEL_OFFSET + 2) {
                assertEquals(before[i], buf[i], "byte " + i + " changed");
            }
        }
    }

    @Test
    void shouldRejectAnAddressLongerThanTheLayoutHolds() {
        Household h = Households.simple(7L, 60_010_101, 3_520_212_345_671L, 1);
        Household longAddress = new Household(h.householdId(), new Address(60_010_101, "v", "é".repeat(128), 0, 0),
                0, 1, h.surveyDate(), h.surveySource(), h.dwelling(), h.assets(), 0, false, false, 1, h.members());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HouseholdCodec.encode(longAddress, StringDictionary.empty(), buf));
        assertTrue(e.getMessage().contains("256 bytes"), e.getMessage());
    }

    @Test
    void shouldRejectAMemberCnicThatIsNotThirteenDigits() {
        Household h = Households.simple(7L, 60_010_101, 123L, 1);
        assertThrows(IllegalArgumentException.class, () -> HouseholdCodec.encode(h, StringDictionary.empty(), buf));
    }

    @Test
    void wrapShouldRefuseWrongVersionAndInconsistentLength() {
        StringDictionary dict = StringDictionary.empty();
        int len = HouseholdCodec.encode(Households.simple(7L, 60_010_101, 3_520_212_345_671L, 2), dict, buf);
        HouseholdRecord r = new HouseholdRecord();
        CorruptRecordException shortRecord = assertThrows(CorruptRecordException.class, () -> r.wrap(buf, len - 1));
        assertTrue(shortRecord.getMessage().contains("record length=" + (len - 1)), shortRecord.getMessage());
        buf[RecordLayout.LAYOUT_VERSION_OFFSET] = 9;
        CorruptRecordException version = assertThrows(CorruptRecordException.class, () -> r.wrap(buf, len));
        assertTrue(version.getMessage().contains("version=9"), version.getMessage());
    }

    @Test
    void validateFieldsShouldNameAnOutOfRangeEnumCode() {
        StringDictionary dict = StringDictionary.empty();
        int len = HouseholdCodec.encode(Households.simple(7L, 60_010_101, 3_520_212_345_671L, 2), dict, buf);
        buf[RecordLayout.memberOffset(1) + RecordLayout.M_EMPLOYMENT] = 99;
        HouseholdRecord r = new HouseholdRecord().wrap(buf, len);
        CorruptRecordException e = assertThrows(CorruptRecordException.class, r::validateFields);
        assertTrue(e.getMessage().contains("Employment code=99"), e.getMessage());
    }

    @Test
    void membersListIsCopiedSoTheRecordCannotChangeUnderneath() {
        Household h = Households.simple(7L, 60_010_101, 3_520_212_345_671L, 2);
        List<Member> ms = h.members();
        assertThrows(UnsupportedOperationException.class, () -> ms.add(ms.get(0)));
    }
}

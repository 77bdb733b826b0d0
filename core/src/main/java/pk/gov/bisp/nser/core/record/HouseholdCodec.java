package pk.gov.bisp.nser.core.record;

import static pk.gov.bisp.nser.core.record.RecordLayout.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.schema.Address;
import pk.gov.bisp.nser.core.schema.Assets;
import pk.gov.bisp.nser.core.schema.Dwelling;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.LandUnit;
import pk.gov.bisp.nser.core.schema.Livestock;
import pk.gov.bisp.nser.core.schema.Member;

/** Encodes a {@link Household} into {@link RecordLayout} bytes and decodes a record back. */
public final class HouseholdCodec {

    private static final int MIN_SURVEY_DAYS = 0;
    private static final int MAX_DAYS = 0xFFFF;

    private HouseholdCodec() {
    }

    /**
     * Writes {@code h} into {@code out} (at least {@link RecordLayout#MAX_RECORD_SIZE} bytes) and returns the
     * record length. Names and village are put into {@code dict}. Throws {@link IllegalArgumentException}
     * naming the field for a value the layout cannot hold.
     */
    public static int encode(Household h, StringDictionary dict, byte[] out) {
        byte[] address = h.address().text().getBytes(StandardCharsets.UTF_8);
        if (address.length > MAX_ADDRESS_BYTES) {
            throw new IllegalArgumentException("address text is " + address.length + " bytes; at most "
                    + MAX_ADDRESS_BYTES);
        }
        int n = h.members().size();
        int len = recordSize(n, address.length);
        Bytes.putU8(out, LAYOUT_VERSION_OFFSET, VERSION);
        Bytes.putU8(out, MEMBER_COUNT_OFFSET, n);
        Bytes.putU16(out, PMT_OFFSET, h.pmtHundredths());
        Bytes.putU16(out, PMT_MODEL_OFFSET, checkU16(h.pmtModelVersion(), "pmtModelVersion"));
        Bytes.putU16(out, SURVEY_DATE_OFFSET, days(h.surveyDate().toEpochDay() - HouseholdRecord.SURVEY_EPOCH_DAY,
                "surveyDate " + h.surveyDate()));
        Bytes.putI64(out, HOUSEHOLD_ID_OFFSET, h.householdId());
        Address a = h.address();
        Bytes.putI32(out, UNION_COUNCIL_OFFSET, a.unionCouncil());
        Bytes.putI32(out, VILLAGE_OFFSET, dict.idOf(a.village()));
        Bytes.putI32(out, LATITUDE_OFFSET, a.latitudeE6());
        Bytes.putI32(out, LONGITUDE_OFFSET, a.longitudeE6());
        Bytes.putI64(out, PHONE_OFFSET, h.phone());
        Bytes.putI32(out, RECORD_VERSION_OFFSET, h.version());
        Bytes.putU8(out, SURVEY_SOURCE_OFFSET, h.surveySource().ordinal());
        Dwelling d = h.dwelling();
        Bytes.putU8(out, HOUSE_TYPE_OFFSET, d.houseType().ordinal());
        Bytes.putU8(out, ROOMS_OFFSET, d.rooms());
        Bytes.putU8(out, TOILET_OFFSET, d.toilet().ordinal());
        Bytes.putU8(out, WATER_OFFSET, d.water().ordinal());
        Bytes.putU8(out, ELECTRICITY_OFFSET, d.electricity().ordinal());
        Bytes.putU8(out, GAS_OFFSET, d.gas().ordinal());
        Bytes.putU8(out, PROGRAMME_OFFSET, (h.uct() ? PROGRAMME_UCT : 0) | (h.cct() ? PROGRAMME_CCT : 0));
        Assets as = h.assets();
        Bytes.putU16(out, ASSETS_OFFSET, as.equipmentBits());
        for (Livestock l : Livestock.values()) {
            Bytes.putU8(out, LIVESTOCK_OFFSET + l.ordinal(), as.livestock(l));
        }
        Bytes.putU8(out, ADDRESS_LENGTH_OFFSET, address.length);
        for (LandUnit u : LandUnit.values()) {
            Bytes.putU16(out, LAND_OFFSET + 2 * u.ordinal(), as.land(u));
        }
        for (int i = 0; i < n; i++) {
            encodeMember(h.members().get(i), dict, out, memberOffset(i));
        }
        System.arraycopy(address, 0, out, memberOffset(n), address.length);
        return len;
    }

    /**
     * Re-points an encoded record's dictionary ids through {@code map}, in the order {@link #encode} looks them up
     * (the village, then each member's name and guardian), so that a record encoded against a dictionary of its own
     * can be moved to another, new strings being added to it in the order a direct encode would have added them.
     */
    public static void remapStrings(byte[] rec, IntUnaryOperator map) {
        Bytes.putI32(rec, VILLAGE_OFFSET, map.applyAsInt(Bytes.i32(rec, VILLAGE_OFFSET)));
        for (int i = 0, n = Bytes.u8(rec, MEMBER_COUNT_OFFSET); i < n; i++) {
            int off = memberOffset(i);
            Bytes.putU24(rec, off + M_NAME, map.applyAsInt(Bytes.u24(rec, off + M_NAME)));
            Bytes.putU24(rec, off + M_GUARDIAN, map.applyAsInt(Bytes.u24(rec, off + M_GUARDIAN)));
        }
    }

    private static void encodeMember(Member m, StringDictionary dict, byte[] out, int off) {
        if (m.cnic() != 0 && !Cnic.isValid(m.cnic())) {
            throw new IllegalArgumentException("member cnic=" + m.cnic() + " is not 13 digits");
        }
        Bytes.putU48(out, off + M_CNIC, m.cnic());
        Bytes.putU24(out, off + M_NAME, dict.idOf(m.name()));
        Bytes.putU24(out, off + M_GUARDIAN, dict.idOf(m.guardianName()));
        Bytes.putU16(out, off + M_DOB, days(m.dateOfBirth().toEpochDay() - HouseholdRecord.DOB_EPOCH_DAY,
                "dateOfBirth " + m.dateOfBirth()));
        Bytes.putU8(out, off + M_RELATIONSHIP, m.relationship().ordinal());
        Bytes.putU8(out, off + M_MARITAL, m.maritalStatus().ordinal());
        Bytes.putU8(out, off + M_DISABILITY, m.disability().ordinal());
        Bytes.putU8(out, off + M_EDUCATION, m.education().ordinal());
        Bytes.putU8(out, off + M_EMPLOYMENT, m.employment().ordinal());
        int packed = m.gender().ordinal()
                | m.schoolStatus().ordinal() << PACKED_SCHOOL_SHIFT
                | (m.literate() ? PACKED_LITERATE : 0)
                | (m.chronicDisease() ? PACKED_CHRONIC : 0)
                | (m.deceased() ? PACKED_DECEASED : 0);
        Bytes.putU8(out, off + M_PACKED, packed);
    }

    /** Decodes every field of the wrapped record. */
    public static Household decode(HouseholdRecord r, StringDictionary dict) {
        int n = r.memberCount();
        List<Member> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            members.add(new Member(r.cnic(i), dict.get(r.nameId(i)), dict.get(r.guardianNameId(i)), r.gender(i),
                    r.dateOfBirth(i), r.relationship(i), r.maritalStatus(i), r.disability(i), r.education(i),
                    r.literate(i), r.schoolStatus(i), r.employment(i), r.chronicDisease(i), r.deceased(i)));
        }
        int[] livestock = new int[Livestock.values().length];
        for (Livestock l : Livestock.values()) {
            livestock[l.ordinal()] = r.livestock(l);
        }
        int[] land = new int[LandUnit.values().length];
        for (LandUnit u : LandUnit.values()) {
            land[u.ordinal()] = r.land(u);
        }
        Address address = new Address(r.unionCouncil(), dict.get(r.villageId()), r.addressText(), r.latitudeE6(),
                r.longitudeE6());
        Dwelling dwelling = new Dwelling(r.houseType(), r.rooms(), r.toilet(), r.water(), r.electricity(), r.gas());
        return new Household(r.householdId(), address, r.pmtHundredths(), r.pmtModelVersion(), r.surveyDate(),
                r.surveySource(), dwelling, new Assets(r.assetBits(), livestock, land), r.phone(), r.uct(), r.cct(),
                (int) r.recordVersion(), members);
    }

    private static int days(long days, String what) {
        if (days < MIN_SURVEY_DAYS || days > MAX_DAYS) {
            throw new IllegalArgumentException(what + " is outside the storable range");
        }
        return (int) days;
    }

    private static int checkU16(int v, String what) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(what + "=" + v + " must be 0..65535");
        }
        return v;
    }
}

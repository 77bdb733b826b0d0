package pk.gov.bisp.nser.core.record;

import static pk.gov.bisp.nser.core.record.RecordLayout.*;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import pk.gov.bisp.nser.core.schema.Asset;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.schema.EducationLevel;
import pk.gov.bisp.nser.core.schema.Electricity;
import pk.gov.bisp.nser.core.schema.Employment;
import pk.gov.bisp.nser.core.schema.GasConnection;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.HouseType;
import pk.gov.bisp.nser.core.schema.LandUnit;
import pk.gov.bisp.nser.core.schema.Livestock;
import pk.gov.bisp.nser.core.schema.MaritalStatus;
import pk.gov.bisp.nser.core.schema.Relationship;
import pk.gov.bisp.nser.core.schema.SchoolStatus;
import pk.gov.bisp.nser.core.schema.SurveySource;
import pk.gov.bisp.nser.core.schema.ToiletType;
import pk.gov.bisp.nser.core.schema.WaterSource;

/**
 * Flyweight over one household record in {@link RecordLayout}: each getter reads its field from the bytes and
 * decodes nothing else. Reusable: {@link #wrap} another record, or let a store copy into {@link #buffer(int)}.
 * Not thread-safe; keep one per thread.
 */
public final class HouseholdRecord {

    /** Days from 1970-01-01 to 2000-01-01 (the survey date epoch). */
    public static final int SURVEY_EPOCH_DAY = 10_957;
    /** Days from 1970-01-01 to 1900-01-01 (the date of birth epoch). */
    public static final int DOB_EPOCH_DAY = -25_567;

    private byte[] b;
    private int length;

    public HouseholdRecord() {
        this.b = new byte[512];
    }

    /** Wraps {@code bytes[0, length)} after checking version and length against the header. */
    public HouseholdRecord wrap(byte[] bytes, int length) {
        this.b = bytes;
        this.length = length;
        check();
        return this;
    }

    /** A buffer of at least {@code capacity} bytes to copy a record into, then {@link #wrapBuffer(int)}. */
    public byte[] buffer(int capacity) {
        if (b.length < capacity) {
            b = new byte[Math.max(capacity, b.length * 2)];
        }
        return b;
    }

    public HouseholdRecord wrapBuffer(int length) {
        this.length = length;
        check();
        return this;
    }

    private void check() {
        if (length < HEADER_SIZE) {
            throw new CorruptRecordException("record length=" + length + " is below header size=" + HEADER_SIZE);
        }
        checkRecord(u8(LAYOUT_VERSION_OFFSET), length, memberCount(), addressLength());
    }

    public byte[] bytes() {
        return b;
    }

    public int length() {
        return length;
    }

    public byte[] toByteArray() {
        return java.util.Arrays.copyOf(b, length);
    }

    private int u8(int off) {
        return Bytes.u8(b, off);
    }

    // ---- household fields

    public int memberCount() {
        return u8(MEMBER_COUNT_OFFSET);
    }

    public int pmtHundredths() {
        return Bytes.u16(b, PMT_OFFSET);
    }

    public int pmtModelVersion() {
        return Bytes.u16(b, PMT_MODEL_OFFSET);
    }

    public int surveyEpochDay() {
        return Bytes.u16(b, SURVEY_DATE_OFFSET) + SURVEY_EPOCH_DAY;
    }

    public LocalDate surveyDate() {
        return LocalDate.ofEpochDay(surveyEpochDay());
    }

    public long householdId() {
        return Bytes.i64(b, HOUSEHOLD_ID_OFFSET);
    }

    public int unionCouncil() {
        return Bytes.i32(b, UNION_COUNCIL_OFFSET);
    }

    public int villageId() {
        return Bytes.i32(b, VILLAGE_OFFSET);
    }

    public int latitudeE6() {
        return Bytes.i32(b, LATITUDE_OFFSET);
    }

    public int longitudeE6() {
        return Bytes.i32(b, LONGITUDE_OFFSET);
    }

    public long phone() {
        return Bytes.i64(b, PHONE_OFFSET);
    }

    public long recordVersion() {
        return Bytes.u32(b, RECORD_VERSION_OFFSET);
    }

    public SurveySource surveySource() {
        return SurveySource.ofCode(u8(SURVEY_SOURCE_OFFSET));
    }

    public HouseType houseType() {
        return HouseType.ofCode(u8(HOUSE_TYPE_OFFSET));
    }

    public int rooms() {
        return u8(ROOMS_OFFSET);
    }

    public ToiletType toilet() {
        return ToiletType.ofCode(u8(TOILET_OFFSET));
    }

    public WaterSource water() {
        return WaterSource.ofCode(u8(WATER_OFFSET));
    }

    public Electricity electricity() {
        return Electricity.ofCode(u8(ELECTRICITY_OFFSET));
    }

    public GasConnection gas() {
        return GasConnection.ofCode(u8(GAS_OFFSET));
    }

    public boolean uct() {
        return (u8(PROGRAMME_OFFSET) & PROGRAMME_UCT) != 0;
    }

    public boolean cct() {
        return (u8(PROGRAMME_OFFSET) & PROGRAMME_CCT) != 0;
    }

    public int assetBits() {
        return Bytes.u16(b, ASSETS_OFFSET);
    }

    public boolean hasAsset(Asset a) {
        return (assetBits() & (1 << a.ordinal())) != 0;
    }

    public int livestock(Livestock kind) {
        return u8(LIVESTOCK_OFFSET + kind.ordinal());
    }

    public int land(LandUnit unit) {
        return Bytes.u16(b, LAND_OFFSET + 2 * unit.ordinal());
    }

    public int addressLength() {
        return u8(ADDRESS_LENGTH_OFFSET);
    }

    public String addressText() {
        return new String(b, addressOffset(), addressLength(), StandardCharsets.UTF_8);
    }

    /** Where the address text's UTF-8 bytes ({@link #addressLength} of them) start in {@link #bytes()}. */
    public int addressOffset() {
        return memberOffset(memberCount());
    }

    // ---- member fields

    private int m(int index) {
        checkMemberIndex(index, memberCount());
        return memberOffset(index);
    }

    public long cnic(int i) {
        return Bytes.u48(b, m(i) + M_CNIC);
    }

    public int nameId(int i) {
        return Bytes.u24(b, m(i) + M_NAME);
    }

    public int guardianNameId(int i) {
        return Bytes.u24(b, m(i) + M_GUARDIAN);
    }

    public int birthEpochDay(int i) {
        return Bytes.u16(b, m(i) + M_DOB) + DOB_EPOCH_DAY;
    }

    public LocalDate dateOfBirth(int i) {
        return LocalDate.ofEpochDay(birthEpochDay(i));
    }

    /** Age in whole years on the given day. */
    public int ageOn(int i, LocalDate on) {
        LocalDate dob = dateOfBirth(i);
        int age = on.getYear() - dob.getYear();
        if (on.getMonthValue() < dob.getMonthValue()
                || on.getMonthValue() == dob.getMonthValue() && on.getDayOfMonth() < dob.getDayOfMonth()) {
            age--;
        }
        return age;
    }

    public Relationship relationship(int i) {
        return Relationship.ofCode(u8(m(i) + M_RELATIONSHIP));
    }

    public MaritalStatus maritalStatus(int i) {
        return MaritalStatus.ofCode(u8(m(i) + M_MARITAL));
    }

    public Disability disability(int i) {
        return Disability.ofCode(u8(m(i) + M_DISABILITY));
    }

    public EducationLevel education(int i) {
        return EducationLevel.ofCode(u8(m(i) + M_EDUCATION));
    }

    public Employment employment(int i) {
        return Employment.ofCode(u8(m(i) + M_EMPLOYMENT));
    }

    private int packed(int i) {
        return u8(m(i) + M_PACKED);
    }

    public Gender gender(int i) {
        return Gender.ofCode(packed(i) & PACKED_GENDER_MASK);
    }

    public SchoolStatus schoolStatus(int i) {
        return SchoolStatus.ofCode((packed(i) & PACKED_SCHOOL_MASK) >>> PACKED_SCHOOL_SHIFT);
    }

    public boolean literate(int i) {
        return (packed(i) & PACKED_LITERATE) != 0;
    }

    public boolean chronicDisease(int i) {
        return (packed(i) & PACKED_CHRONIC) != 0;
    }

    public boolean deceased(int i) {
        return (packed(i) & PACKED_DECEASED) != 0;
    }

    /** The index of the member with this CNIC, or -1. */
    public int memberIndexOf(long cnic) {
        for (int i = 0, n = memberCount(); i < n; i++) {
            if (cnic(i) == cnic) {
                return i;
            }
        }
        return -1;
    }

    // ---- the few fields written in place (scoring, programme status)

    public void setPmt(int hundredths, int modelVersion) {
        if (hundredths < 0 || hundredths > 10_000) {
            throw new IllegalArgumentException("pmt hundredths=" + hundredths + " must be 0..10000");
        }
        Bytes.putU16(b, PMT_OFFSET, hundredths);
        Bytes.putU16(b, PMT_MODEL_OFFSET, modelVersion);
    }

    public void setProgrammes(boolean uct, boolean cct) {
        Bytes.putU8(b, PROGRAMME_OFFSET, (uct ? PROGRAMME_UCT : 0) | (cct ? PROGRAMME_CCT : 0));
    }

    /**
     * Decodes every enum field and the reserved bit, throwing {@link CorruptRecordException} naming the first
     * bad one. Verification uses this; the hot path does not.
     */
    public void validateFields() {
        try {
            surveySource();
            houseType();
            toilet();
            water();
            electricity();
            gas();
            if (pmtHundredths() > 10_000) {
                throw new CorruptRecordException("pmt hundredths=" + pmtHundredths());
            }
            if (assetBits() >>> Asset.values().length != 0) {
                throw new CorruptRecordException("asset bits=" + Integer.toBinaryString(assetBits()));
            }
            for (int i = 0; i < memberCount(); i++) {
                relationship(i);
                maritalStatus(i);
                disability(i);
                education(i);
                employment(i);
                gender(i);
                schoolStatus(i);
                if ((packed(i) & 0x80) != 0) {
                    throw new CorruptRecordException("member " + i + " reserved bit set");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CorruptRecordException("household id=" + householdId() + ": " + e.getMessage());
        }
    }
}

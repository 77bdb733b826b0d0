package pk.gov.bisp.nser.core.record;

/**
 * Byte layout of a household record, version {@value #VERSION}. All integers little-endian.
 * <pre>
 *  0               1               2               3
 *  +---------------+---------------+-------------------------------+
 *  | layout version| member count  |  PMT score, hundredths (u16)  |  0
 *  +---------------+---------------+-------------------------------+
 *  |  PMT model version (u16)      |  survey date, days since 2000 |  4
 *  +-------------------------------+-------------------------------+
 *  |                household id (i64)                             |  8
 *  +---------------------------------------------------------------+
 *  |                union council code (i32)                       | 16
 *  |                village dictionary id (i32)                    | 20
 *  |                latitude, micro-degrees (i32)                  | 24
 *  |                longitude, micro-degrees (i32)                 | 28
 *  |                contact phone digits (i64), 0 = none           | 32
 *  |                record version (u32)                           | 40
 *  +---------------+---------------+---------------+---------------+
 *  | survey source | house type    | rooms         | toilet        | 44
 *  | water source  | electricity   | gas           | programme flg | 48
 *  +---------------+---------------+---------------+---------------+
 *  |  asset bits (u16)             | cow           | goat          | 52
 *  | buffalo       | bullock       | lamb          | address len n | 56
 *  +-------------------------------+-------------------------------+
 *  |  land muraba (u16)            |  land acre (u16)              | 60
 *  |  land kanal (u16)             |  land marla (u16)             | 64
 *  +---------------------------------------------------------------+
 *  |  members: member count x {@value #MEMBER_SIZE}-byte member entries            | 68
 *  +---------------------------------------------------------------+
 *  |  address text, n bytes of UTF-8                                |
 *  +---------------------------------------------------------------+
 *
 * Member entry ({@value #MEMBER_SIZE} bytes, at 68 + i * {@value #MEMBER_SIZE}):
 *   0  u48 CNIC/B-Form (0 = none)      6  u24 name id     9  u24 father/husband name id
 *  12  u16 date of birth, days since 1900-01-01
 *  14  u8 relationship  15 u8 marital status  16 u8 disability  17 u8 education  18 u8 employment
 *  19  u8 packed: bits 0-1 gender, bits 2-3 school status, bit 4 literate, bit 5 chronic disease,
 *      bit 6 deceased, bit 7 reserved (0)
 * </pre>
 * Enum fields hold the constant's ordinal. Programme flags: bit 0 UCT, bit 1 CCT.
 */
public final class RecordLayout {

    public static final int VERSION = 1;

    public static final int LAYOUT_VERSION_OFFSET = 0;
    public static final int MEMBER_COUNT_OFFSET = 1;
    public static final int PMT_OFFSET = 2;
    public static final int PMT_MODEL_OFFSET = 4;
    public static final int SURVEY_DATE_OFFSET = 6;
    public static final int HOUSEHOLD_ID_OFFSET = 8;
    public static final int UNION_COUNCIL_OFFSET = 16;
    public static final int VILLAGE_OFFSET = 20;
    public static final int LATITUDE_OFFSET = 24;
    public static final int LONGITUDE_OFFSET = 28;
    public static final int PHONE_OFFSET = 32;
    public static final int RECORD_VERSION_OFFSET = 40;
    public static final int SURVEY_SOURCE_OFFSET = 44;
    public static final int HOUSE_TYPE_OFFSET = 45;
    public static final int ROOMS_OFFSET = 46;
    public static final int TOILET_OFFSET = 47;
    public static final int WATER_OFFSET = 48;
    public static final int ELECTRICITY_OFFSET = 49;
    public static final int GAS_OFFSET = 50;
    public static final int PROGRAMME_OFFSET = 51;
    public static final int ASSETS_OFFSET = 52;
    public static final int LIVESTOCK_OFFSET = 54;
    public static final int ADDRESS_LENGTH_OFFSET = 59;
    public static final int LAND_OFFSET = 60;
    public static final int HEADER_SIZE = 68;

    public static final int MEMBER_SIZE = 20;
    public static final int M_CNIC = 0;
    public static final int M_NAME = 6;
    public static final int M_GUARDIAN = 9;
    public static final int M_DOB = 12;
    public static final int M_RELATIONSHIP = 14;
    public static final int M_MARITAL = 15;
    public static final int M_DISABILITY = 16;
    public static final int M_EDUCATION = 17;
    public static final int M_EMPLOYMENT = 18;
    public static final int M_PACKED = 19;

    public static final int PACKED_GENDER_MASK = 0x03;
    public static final int PACKED_SCHOOL_SHIFT = 2;
    public static final int PACKED_SCHOOL_MASK = 0x0C;
    public static final int PACKED_LITERATE = 0x10;
    public static final int PACKED_CHRONIC = 0x20;
    public static final int PACKED_DECEASED = 0x40;

    public static final int PROGRAMME_UCT = 0x01;
    public static final int PROGRAMME_CCT = 0x02;

    public static final int MAX_MEMBERS = 255;
    public static final int MAX_ADDRESS_BYTES = 255;
    public static final int MAX_RECORD_SIZE = HEADER_SIZE + MAX_MEMBERS * MEMBER_SIZE + MAX_ADDRESS_BYTES;

    private RecordLayout() {
    }

    public static int memberOffset(int index) {
        return HEADER_SIZE + index * MEMBER_SIZE;
    }

    public static int recordSize(int members, int addressBytes) {
        return HEADER_SIZE + members * MEMBER_SIZE + addressBytes;
    }

    /** Checks the version byte and that the length agrees with the member count and address length. */
    public static void checkRecord(int version, int length, int members, int addressBytes) {
        if (version != VERSION) {
            throw new CorruptRecordException("record layout version=" + version + " expected=" + VERSION);
        }
        if (length != recordSize(members, addressBytes)) {
            throw new CorruptRecordException("record length=" + length + " expected=" + recordSize(members, addressBytes)
                    + " for members=" + members + " addressBytes=" + addressBytes);
        }
    }

    public static void checkMemberIndex(int index, int members) {
        if (index < 0 || index >= members) {
            throw new IndexOutOfBoundsException("member index=" + index + " members=" + members);
        }
    }
}

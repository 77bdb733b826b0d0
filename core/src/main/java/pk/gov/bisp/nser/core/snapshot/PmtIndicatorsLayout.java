package pk.gov.bisp.nser.core.snapshot;

import java.nio.ByteBuffer;
import pk.gov.bisp.nser.core.scoring.PmtInputs;

/**
 * Layout of {@code pmt-indicators.bin}, version {@value #VERSION}: the PMT inputs ({@link PmtInputs}) of every
 * household, one fixed-width row per ordinal, so a new model scores the registry without reading a record.
 * Every field is the whole number the indicators are derived from (counts, flags, land as recorded), so a score
 * from a row equals the score from the record exactly. All integers little-endian.
 * <pre>
 *  0   FileHeader: magic "NSERPMTI", version (u32), reserved
 * 16   u64 row count n (= households)
 * 24   u32 row size (22)                28  u32 reserved (0)
 * 32   n rows of 22 bytes; row k belongs to ordinal k, at 32 + 22 k
 *
 * Row:
 *  0               1               2               3
 *  +---------------+---------------+---------------+---------------+
 *  | flags (u32): bits 0-10 asset bits, 11 pacca, 12 formal latrine,|  0
 *  | 13 informal latrine, 14 safe water, 15 electricity, 16 piped gas,
 *  | 17 LPG, 18 head literate, 19 female head, 20 disabled member,  |
 *  | 21 member 65+, 24-27 province code (1..7), others reserved (0) |
 *  +---------------+---------------+---------------+---------------+
 *  | living        | dependants    | adults 15+    | literate adlts|  4
 *  | workforce     | employed      | rooms         | max edu years |  8
 *  | large lvstock | small lvstock |  land muraba (u16)            | 12
 *  |  land acre (u16)              |  land kanal (u16)             | 16
 *  |  land marla (u16)             |                                 20
 *  +-------------------------------+
 * </pre>
 * Living, dependants (aged under 15 or 65+), adults, literate adults, workforce (aged 14-60) and employed count
 * living members (u8, as the record's member count); large livestock (cows, buffalo, bullocks) is capped at 20
 * and small (goats, lambs) at 50, as the model caps them.
 */
public final class PmtIndicatorsLayout {

    public static final String MAGIC = "NSERPMTI";
    public static final int VERSION = 1;
    public static final int COUNT_OFFSET = 16;
    public static final int ROW_SIZE_OFFSET = 24;
    public static final int ROWS_OFFSET = 32;
    public static final int ROW_SIZE = 22;

    public static final int FLAGS = 0;
    public static final int LIVING = 4;
    public static final int DEPENDANTS = 5;
    public static final int ADULTS = 6;
    public static final int LITERATE_ADULTS = 7;
    public static final int WORKFORCE = 8;
    public static final int EMPLOYED = 9;
    public static final int ROOMS = 10;
    public static final int MAX_EDUCATION_YEARS = 11;
    public static final int LARGE_LIVESTOCK = 12;
    public static final int SMALL_LIVESTOCK = 13;
    public static final int LAND_MURABA = 14;
    public static final int LAND_ACRE = 16;
    public static final int LAND_KANAL = 18;
    public static final int LAND_MARLA = 20;

    public static final int PROVINCE_SHIFT = 24;
    private static final int PROVINCE_MASK = 0xF;
    /** Flag bits that must be 0: 22-23 and 28-31. */
    private static final int RESERVED_BITS = ~(((1 << PmtInputs.FLAG_BITS) - 1) | PROVINCE_MASK << PROVINCE_SHIFT);

    private PmtIndicatorsLayout() {
    }

    /** File offset of ordinal {@code k}'s row. */
    public static long rowOffset(long k) {
        return ROWS_OFFSET + k * ROW_SIZE;
    }

    /** Writes {@code in} as the row at {@code off} of {@code b} (little-endian). */
    public static void encode(PmtInputs in, ByteBuffer b, int off) {
        if (in.province < 1 || in.province > 7) {
            throw new IllegalArgumentException("province=" + in.province + " must be 1..7");
        }
        b.putInt(off + FLAGS, in.flags | in.province << PROVINCE_SHIFT);
        b.put(off + LIVING, u8("living", in.living));
        b.put(off + DEPENDANTS, u8("dependants", in.dependants));
        b.put(off + ADULTS, u8("adults", in.adults));
        b.put(off + LITERATE_ADULTS, u8("literateAdults", in.literateAdults));
        b.put(off + WORKFORCE, u8("workforce", in.workforce));
        b.put(off + EMPLOYED, u8("employed", in.employed));
        b.put(off + ROOMS, u8("rooms", in.rooms));
        b.put(off + MAX_EDUCATION_YEARS, u8("maxEducationYears", in.maxEducationYears));
        b.put(off + LARGE_LIVESTOCK, u8("largeLivestock", in.largeLivestock));
        b.put(off + SMALL_LIVESTOCK, u8("smallLivestock", in.smallLivestock));
        b.putShort(off + LAND_MURABA, u16("muraba", in.muraba));
        b.putShort(off + LAND_ACRE, u16("acre", in.acre));
        b.putShort(off + LAND_KANAL, u16("kanal", in.kanal));
        b.putShort(off + LAND_MARLA, u16("marla", in.marla));
    }

    /** Reads the row at {@code off} of {@code b} into {@code out}; no checks (the hot path). */
    public static void decode(ByteBuffer b, int off, PmtInputs out) {
        int flags = b.getInt(off + FLAGS);
        out.flags = flags & ((1 << PmtInputs.FLAG_BITS) - 1);
        out.province = flags >>> PROVINCE_SHIFT & PROVINCE_MASK;
        out.living = b.get(off + LIVING) & 0xFF;
        out.dependants = b.get(off + DEPENDANTS) & 0xFF;
        out.adults = b.get(off + ADULTS) & 0xFF;
        out.literateAdults = b.get(off + LITERATE_ADULTS) & 0xFF;
        out.workforce = b.get(off + WORKFORCE) & 0xFF;
        out.employed = b.get(off + EMPLOYED) & 0xFF;
        out.rooms = b.get(off + ROOMS) & 0xFF;
        out.maxEducationYears = b.get(off + MAX_EDUCATION_YEARS) & 0xFF;
        out.largeLivestock = b.get(off + LARGE_LIVESTOCK) & 0xFF;
        out.smallLivestock = b.get(off + SMALL_LIVESTOCK) & 0xFF;
        out.muraba = b.getShort(off + LAND_MURABA) & 0xFFFF;
        out.acre = b.getShort(off + LAND_ACRE) & 0xFFFF;
        out.kanal = b.getShort(off + LAND_KANAL) & 0xFFFF;
        out.marla = b.getShort(off + LAND_MARLA) & 0xFFFF;
    }

    /** Throws naming the field when the row at {@code off} has a reserved bit set or an impossible value. */
    public static void checkRow(ByteBuffer b, int off) {
        int flags = b.getInt(off + FLAGS);
        int province = flags >>> PROVINCE_SHIFT & PROVINCE_MASK;
        if ((flags & RESERVED_BITS) != 0 || province < 1 || province > 7) {
            throw new IllegalArgumentException("flags=0x" + Integer.toHexString(flags) + " (reserved bits set or "
                    + "province=" + province + " outside 1..7)");
        }
        int living = b.get(off + LIVING) & 0xFF;
        int dependants = b.get(off + DEPENDANTS) & 0xFF;
        int adults = b.get(off + ADULTS) & 0xFF;
        if (dependants > living || adults > living || (b.get(off + LITERATE_ADULTS) & 0xFF) > adults
                || (b.get(off + EMPLOYED) & 0xFF) > (b.get(off + WORKFORCE) & 0xFF)) {
            throw new IllegalArgumentException("member counts out of order: living=" + living + " dependants="
                    + dependants + " adults=" + adults);
        }
    }

    private static byte u8(String field, int v) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException(field + "=" + v + " must be 0..255");
        }
        return (byte) v;
    }

    private static short u16(String field, int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(field + "=" + v + " must be 0..65535");
        }
        return (short) v;
    }
}

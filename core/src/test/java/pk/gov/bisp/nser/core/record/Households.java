package pk.gov.bisp.nser.core.record;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.core.schema.Address;
import pk.gov.bisp.nser.core.schema.Assets;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.schema.Dwelling;
import pk.gov.bisp.nser.core.schema.EducationLevel;
import pk.gov.bisp.nser.core.schema.Electricity;
import pk.gov.bisp.nser.core.schema.Employment;
import pk.gov.bisp.nser.core.schema.GasConnection;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.HouseType;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.MaritalStatus;
import pk.gov.bisp.nser.core.schema.Member;
import pk.gov.bisp.nser.core.schema.Relationship;
import pk.gov.bisp.nser.core.schema.SchoolStatus;
import pk.gov.bisp.nser.core.schema.SurveySource;
import pk.gov.bisp.nser.core.schema.ToiletType;
import pk.gov.bisp.nser.core.schema.WaterSource;

/** Hand-made households for tests: fixed values, edge values, every enum constant. */
public final class Households {

    private Households() {
    }

    /** A small ordinary household in union council {@code uc} (a Punjab code by default). */
    public static Household simple(long id, int uc, long firstCnic, int members) {
        List<Member> ms = new ArrayList<>();
        ms.add(new Member(firstCnic, "Muhammad Ali Khan", "Ghulam Rasool Khan", Gender.MALE, LocalDate.of(1975, 3, 14),
                Relationship.HEAD, MaritalStatus.MARRIED, Disability.NONE, EducationLevel.MATRIC, true,
                SchoolStatus.NOT_APPLICABLE, Employment.EMPLOYED, false, false));
        for (int i = 1; i < members; i++) {
            boolean girl = i % 2 == 0;
            ms.add(new Member(firstCnic + i * 10L, girl ? "Ayesha Khan" : "Bilal Khan", "Muhammad Ali Khan",
                    girl ? Gender.FEMALE : Gender.MALE, LocalDate.of(2005 + i, 1, 1),
                    girl ? Relationship.DAUGHTER : Relationship.SON, MaritalStatus.NEVER_MARRIED,
                    i == 3 ? Disability.VISUAL : Disability.NONE, EducationLevel.PRIMARY, true, SchoolStatus.ENROLLED,
                    Employment.STUDENT, false, false));
        }
        return new Household(id, new Address(uc, "Chak 42", "House 7, Street 3", 31_520_000, 74_350_000), 2_850, 1,
                LocalDate.of(2020, 6, 1), SurveySource.DOOR_TO_DOOR,
                new Dwelling(HouseType.KACHA, 2, ToiletType.INFORMAL_LATRINE, WaterSource.HAND_PUMP,
                        Electricity.METERED, GasConnection.NONE),
                new Assets(0b101, new int[] {1, 3, 0, 0, 0}, new int[] {0, 2, 4, 10}), 923001234567L, true, false, 1, ms);
    }

    /**
     * A household exercising the edges: every enum constant at least once across its members, maximum counts,
     * multi-byte UTF-8 in names and address, date range limits, a member without CNIC.
     */
    public static Household edges() {
        List<Member> ms = new ArrayList<>();
        int n = 0;
        int max = Math.max(Relationship.values().length, Math.max(EducationLevel.values().length,
                Employment.values().length));
        for (int i = 0; i < max; i++) {
            ms.add(new Member(i == 1 ? 0 : 9_999_999_999_990L + i - 20, "نام " + i + " Ñame", "والد " + i,
                    Gender.values()[i % 3], i == 0 ? LocalDate.of(1900, 1, 1) : LocalDate.of(2079, 6, 5).minusDays(i),
                    Relationship.values()[i % Relationship.values().length],
                    MaritalStatus.values()[i % MaritalStatus.values().length],
                    Disability.values()[i % Disability.values().length],
                    EducationLevel.values()[i % EducationLevel.values().length], i % 2 == 0,
                    SchoolStatus.values()[i % SchoolStatus.values().length],
                    Employment.values()[i % Employment.values().length], i % 3 == 0, i % 4 == 0));
            n++;
        }
        String address = "مکان نمبر ۱۲، گلی ۳ " + "x".repeat(255 - "مکان نمبر ۱۲، گلی ۳ ".getBytes(
                java.nio.charset.StandardCharsets.UTF_8).length);
        return new Household(Long.MAX_VALUE, new Address(70_450_199, "گوٹھ Allah Bux", address, -90_000_000, 180_000_000),
                10_000, 65_535, LocalDate.of(2179, 6, 6), SurveySource.RECERTIFICATION,
                new Dwelling(HouseType.PACCA, 255, ToiletType.NONE, WaterSource.OTHER, Electricity.SOLAR_ONLY,
                        GasConnection.LPG_CYLINDER),
                new Assets((1 << 11) - 1, new int[] {255, 255, 255, 255, 255}, new int[] {65535, 65535, 65535, 65535}),
                999_999_999_999_999L, true, true, Integer.MAX_VALUE, ms);
    }
}

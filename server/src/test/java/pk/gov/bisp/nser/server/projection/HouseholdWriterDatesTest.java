package pk.gov.bisp.nser.server.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The writer computes dates instead of reading them from a table: every day it takes, against {@link LocalDate}. */
class HouseholdWriterDatesTest {

    @Test
    void everyDayFromYearZeroTo9999ShouldBeTheDayLocalDateGives() {
        assertEquals(LocalDate.of(0, 1, 1).toEpochDay(), HouseholdWriter.FIRST_DAY);
        assertEquals(LocalDate.of(9_999, 12, 31).toEpochDay(), HouseholdWriter.LAST_DAY);
        int checked = 0;
        for (int day = HouseholdWriter.FIRST_DAY; day <= HouseholdWriter.LAST_DAY; day++) {
            LocalDate d = LocalDate.ofEpochDay(day);
            int expected = d.getYear() * 10_000 + d.getMonthValue() * 100 + d.getDayOfMonth();
            int ymd = HouseholdWriter.ymd(day);
            if (ymd != expected) {
                assertEquals(expected, ymd, "day " + day + " (" + d + ")");
            }
            checked++;
        }
        assertEquals(3_652_425, checked); // 10,000 years of 365.2425 days
        assertEquals(20_240_229, HouseholdWriter.ymd((int) LocalDate.of(2024, 2, 29).toEpochDay()));
        assertEquals(19_000_301, HouseholdWriter.ymd((int) LocalDate.of(1900, 3, 1).toEpochDay()));
    }
}

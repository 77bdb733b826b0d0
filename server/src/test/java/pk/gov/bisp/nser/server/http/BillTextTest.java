package pk.gov.bisp.nser.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The bill headers' texts, made once for the usual values and formatted beyond them. */
class BillTextTest {

    @Test
    void amountsShouldBePkrWithTwoDecimalsInsideAndBeyondTheTexts() {
        long[] paisa = {0, 1, 9, 10, 50, 99, 100, 101, 300, 999, 10_000, 12_345, 50_000, 50_001, 1_000_000_007L};
        String[] pkr = {"0.00", "0.01", "0.09", "0.10", "0.50", "0.99", "1.00", "1.01", "3.00", "9.99", "100.00",
            "123.45", "500.00", "500.01", "10000000.07"};
        for (int i = 0; i < paisa.length; i++) {
            assertEquals(pkr[i], Exchange.billedAmount(paisa[i]).toString(), paisa[i] + " paisa");
            assertEquals(pkr[i], Exchange.billedAmount(paisa[i]).toString(), paisa[i] + " paisa, asked again");
        }
        for (long p = 0; p <= 60_000; p++) {
            assertEquals(String.format("%d.%02d", p / 100, p % 100), Exchange.billedAmount(p).toString());
        }
    }

    @Test
    void rowsShouldBeTheirDecimalTextInsideAndBeyondTheTexts() {
        for (long rows : new long[] {0, 1, 2, 99, 1_000, 1_001, 35_645_850}) {
            assertEquals(Long.toString(rows), Exchange.billedRows(rows).toString());
        }
    }

    @Test
    void aUsualValueShouldBeMadeOnce() {
        assertSame(Exchange.billedAmount(300), Exchange.billedAmount(300));
        assertSame(Exchange.billedRows(1), Exchange.billedRows(1));
    }
}

package pk.gov.bisp.nser.server.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CSV cells: RFC 4180 quoting, and no text a spreadsheet would run as a formula. */
class CsvRowsTest {

    private static String cell(String v) {
        StringBuilder b = new StringBuilder();
        CsvRows.cell(b, v);
        return b.toString();
    }

    @Test
    void cellsAreQuotedOnlyWhenTheyMustBe() {
        assertEquals("Asif Kharal,", cell("Asif Kharal"));
        assertEquals("\"House 1, Street 2\",", cell("House 1, Street 2"));
        assertEquals("\"say \"\"hi\"\"\",", cell("say \"hi\""));
        assertEquals(",", cell(null));
        assertEquals(",", cell(""));
    }

    @Test
    void aCellThatLooksLikeAFormulaIsDefused() {
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\")\",", cell("=HYPERLINK(\"http://x\")"));
        assertEquals("'=1+1,", cell("=1+1"));
        assertEquals("'+92300,", cell("+92300"));
        assertEquals("'-1,", cell("-1"));
        assertEquals("'@SUM(A1),", cell("@SUM(A1)"));
        assertEquals("'\tx,", cell("\tx"));
        assertEquals("a=b,", cell("a=b"));
    }
}

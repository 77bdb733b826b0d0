package pk.gov.bisp.nser.server.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatisticsPageTextsTest {

    private final StatisticsPageRoutes page = new StatisticsPageRoutes(32, 10);

    @Test
    void theServedFontShouldCoverEveryUrduLetterOfThePage() {
        for (String t : page.allTexts()) {
            assertEquals(-1, UrduFont.firstMissing(t), () -> "not in the font subset: "
                    + Integer.toHexString(UrduFont.firstMissing(t)) + " in " + t);
        }
    }

    @Test
    void thePageShouldOfferOnlyItsOwnChoicesAndEscapeItsTexts() {
        String en = page.html(false, "literacy:female", "members");
        assertTrue(en.contains("<html lang=\"en\" dir=\"ltr\">"));
        assertTrue(en.contains("<option value=\"literacy:female\" selected>"), "a measure offered is preselected");
        assertTrue(en.contains("<option value=\"members\" selected>"));
        assertTrue(en.contains("<option value=\"pmt_below:32\">Households under the cut-off (PMT score below 32)"));
        assertTrue(en.contains("a cell under 10,"), "k is named");
        String odd = page.html(true, "\"><script>alert(1)</script>", "x");
        assertTrue(odd.contains("<html lang=\"ur\" dir=\"rtl\">"));
        assertFalse(odd.contains("<script>alert"), "a measure not offered is never echoed");
        assertFalse(odd.contains(" selected"));
        String texts = odd.substring(odd.indexOf("id=\"nser-texts\">"), odd.indexOf("</script>"));
        assertFalse(texts.contains("<") || texts.contains("&"), "the texts' JSON cannot close its script: " + texts);
        assertTrue(odd.contains("کٹ آف سے نیچے گھرانے"));
    }
}

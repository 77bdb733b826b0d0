package pk.gov.bisp.nser.server.publicstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.pages.UrduFont;

/** Every Urdu letter of the public page is in the font subset the server serves (pages/README.md). */
class StatusPageTextsTest {

    @Test
    void theServedFontShouldCoverEveryUrduLetterOfThePage() {
        int urdu = 0;
        for (String t : StatusPage.allTexts()) {
            assertEquals(-1, UrduFont.firstMissing(t), () -> "not in the font subset: "
                    + Integer.toHexString(UrduFont.firstMissing(t)) + " in " + t);
            urdu += t.codePoints().anyMatch(cp -> cp >= 0x0600 && cp <= 0x06FF) ? 1 : 0;
        }
        assertTrue(urdu >= 20, "the Urdu texts were checked: " + urdu);
        assertEquals(0x06D2, "ہے".codePointAt(1));
        assertTrue(UrduFont.covers(0x06C1) && UrduFont.covers(0x06D2) && UrduFont.covers(0x06D4), "ہ ے ۔");
        assertEquals(0x0671, UrduFont.firstMissing("ٱ"), "a letter outside the subset is reported");
    }
}

package pk.gov.bisp.nser.core.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.Households;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Assets;
import pk.gov.bisp.nser.core.schema.Household;

class PmtModelTest {

    private static final String MINIMAL = """
            {"name": "t", "version": 3, "intercept": 0.0, "weights": {"pacca": 1.0},
             "mapping": {"center": 0.0, "spread": 1.0}}""";

    @Test
    void configExampleShouldBeTheBuiltInModel() throws Exception {
        Path config = Path.of(System.getProperty("user.dir")).resolve("../config/pmt-model.json");
        try (InputStream in = PmtModel.class.getResourceAsStream("pmt-model.json")) {
            assertArrayEquals(in.readAllBytes(), Files.readAllBytes(config),
                    "config/pmt-model.json must equal core's built-in pmt-model.json");
        }
        PmtModel m = PmtModel.load(config);
        assertEquals("nser-proxy", m.name());
        assertEquals(1, m.version());
    }

    @Test
    void scoreShouldRiseWithAssetsAndStayWithinZeroToHundred() {
        PmtModel m = PmtModel.builtIn();
        Household poor = Households.simple(1L, 60_010_101, 3_520_212_345_671L, 8);
        Household richer = new Household(poor.householdId(), poor.address(), 0, 1, poor.surveyDate(),
                poor.surveySource(), poor.dwelling(), new Assets((1 << 11) - 1, new int[] {2, 2, 2, 2, 2},
                new int[] {1, 10, 0, 0}), poor.phone(), false, false, 1, poor.members());
        int a = score(m, poor);
        int b = score(m, richer);
        assertTrue(b > a, "assets should raise the score: " + a + " -> " + b);
        assertTrue(a >= 0 && b <= 10_000);
    }

    @Test
    void rescoreShouldWriteScoreAndModelVersionIntoTheRecord() throws Exception {
        PmtModel m = PmtModel.parse(MINIMAL, "test");
        byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
        int len = HouseholdCodec.encode(Households.simple(1L, 60_010_101, 3_520_212_345_671L, 2),
                StringDictionary.empty(), buf);
        HouseholdRecord r = new HouseholdRecord().wrap(buf, len);
        int s = m.rescore(r, PmtModel.newScratch());
        assertEquals(5_000, s, "kacha house, intercept 0: logistic(0) = 50.00");
        assertEquals(5_000, r.pmtHundredths());
        assertEquals(3, r.pmtModelVersion());
    }

    @Test
    void shouldRejectAnUnknownIndicatorNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PmtModel.parse(MINIMAL.replace("\"pacca\"", "\"swimming_pool\""), "m.json"));
        assertTrue(e.getMessage().contains("swimming_pool") && e.getMessage().contains("m.json"), e.getMessage());
    }

    @Test
    void shouldRejectANonPositiveSpreadAndAMissingVersion() {
        IllegalArgumentException spread = assertThrows(IllegalArgumentException.class,
                () -> PmtModel.parse(MINIMAL.replace("\"spread\": 1.0", "\"spread\": 0"), "m.json"));
        assertTrue(spread.getMessage().contains("spread"), spread.getMessage());
        IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
                () -> PmtModel.parse(MINIMAL.replace("\"version\": 3,", ""), "m.json"));
        assertTrue(version.getMessage().contains("version"), version.getMessage());
    }

    private static int score(PmtModel m, Household h) {
        byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
        int len = HouseholdCodec.encode(h, StringDictionary.empty(), buf);
        return m.scoreHundredths(new HouseholdRecord().wrap(buf, len), PmtModel.newScratch());
    }
}

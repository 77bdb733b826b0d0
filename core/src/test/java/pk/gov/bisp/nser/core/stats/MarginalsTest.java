package pk.gov.bisp.nser.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.schema.Province;

class MarginalsTest {

    @Test
    void builtInCopyShouldEqualTheSharedFile() throws Exception {
        Path shared = Path.of(System.getProperty("nser.shared.dir", "../../shared"), "data", "nser-marginals.json");
        Assumptions.assumeTrue(Files.exists(shared), "shared/ is beside the checkout in CI");
        try (InputStream in = Marginals.class.getResourceAsStream("nser-marginals.json")) {
            assertArrayEquals(Files.readAllBytes(shared), in.readAllBytes());
        }
    }

    @Test
    void shouldReadTheRealFigures() {
        Marginals m = Marginals.builtIn();
        assertEquals(35_645_850L, m.households());
        assertEquals(186_286_074L, m.members());
        assertEquals(32.0, m.cutoff());
        assertEquals(17_942_363L, m.region(Province.PUNJAB).households());
        assertEquals(88.0, m.region(Province.BALOCHISTAN).kachaPct());
        assertEquals(145, m.region(Province.SINDH).tehsils());
        assert Double.isNaN(m.region(Province.ISLAMABAD).electricityPct());
        long sum = 0;
        for (Province p : Province.values()) {
            sum += m.region(p).households();
        }
        assertEquals(m.households(), sum);
        assertEquals(100, m.ratesPkr().get("business_private"));
    }
}

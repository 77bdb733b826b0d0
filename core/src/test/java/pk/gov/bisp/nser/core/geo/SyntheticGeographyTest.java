package pk.gov.bisp.nser.core.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.schema.Province;
import pk.gov.bisp.nser.core.stats.Marginals;

class SyntheticGeographyTest {

    private final Marginals marginals = Marginals.builtIn();
    private final Geography geo = SyntheticGeography.of(marginals).geography();

    @Test
    void shouldHaveTheRealUnitCounts() {
        assertEquals(7, geo.count(GeoLevel.PROVINCE));
        assertEquals(617, geo.count(GeoLevel.TEHSIL));
        assertEquals(167, geo.count(GeoLevel.DISTRICT));
        assertEquals(38, geo.count(GeoLevel.DIVISION));
        for (Province p : Province.values()) {
            long tehsils = geo.units(GeoLevel.TEHSIL).stream().filter(t -> t.code() / 100_000 == p.code()).count();
            assertEquals(marginals.region(p).tehsils(), tehsils, p.reportName() + " tehsils = its registry centres");
        }
        int ucs = geo.count(GeoLevel.UNION_COUNCIL);
        assertTrue(ucs > 6_000 && ucs < 9_000, "union councils: " + ucs);
    }

    @Test
    void codesShouldEmbedTheirParents() {
        for (GeoUnit uc : geo.units(GeoLevel.UNION_COUNCIL)) {
            assertEquals(uc.parent(), Geography.tehsilOfUc(uc.code()));
            int district = geo.ancestorOfUc(uc.code(), GeoLevel.DISTRICT);
            assertEquals(Geography.districtOfTehsil(uc.parent()), district);
            assertEquals(geo.provinceOfUc(uc.code()).code(), geo.ancestorOfUc(uc.code(), GeoLevel.PROVINCE));
            assertEquals(Geography.provinceOfDistrict(district), geo.ancestorOfUc(uc.code(), GeoLevel.PROVINCE));
        }
    }

    @Test
    void shouldBeTheSameOnEveryBuild() {
        assertEquals(geo.all(), SyntheticGeography.of(marginals).geography().all());
    }
}

package pk.gov.bisp.nser.server.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.SearchHttp.count;
import static pk.gov.bisp.nser.server.SearchHttp.list;
import static pk.gov.bisp.nser.server.SearchHttp.ndjson;
import static pk.gov.bisp.nser.server.SearchHttp.pageThrough;
import static pk.gov.bisp.nser.server.SearchHttp.rowIds;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pk.gov.bisp.nser.server.Households;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.SearchHttp;
import pk.gov.bisp.nser.server.TestServer;

/**
 * {@code /v1/households} paging and totals, checked against the snapshot's records: every page sequence, in
 * every format, is the one full stream cut into pages, and that stream is exactly the matching households in
 * ordinal order.
 */
class SearchPagingTest {

    private static final int PAGE = 37;
    private static NserServer server;
    private static Households hh;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.demo();
        hh = Households.load();
    }

    /** A filter and, computed from the records, which ordinals it matches. */
    static Stream<Arguments> filters() throws Exception {
        Households h = Households.load();
        int tehsil = h.largest(h.tehsil);
        return Stream.of(
                Arguments.of("province=6", (IntPredicate) o -> h.province[o] == 6),
                Arguments.of("pmt_max=32&disabled_member=yes",
                        (IntPredicate) o -> h.pmtHundredths[o] <= 3200 && h.disabledLiving[o]),
                Arguments.of("tehsil=" + tehsil, (IntPredicate) o -> h.tehsil[o] == tehsil));
    }

    private static List<String> expectedIds(IntPredicate matches) {
        return hh.idsWhere(matches).stream().map(String::valueOf).toList();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("filters")
    void oneStreamShouldHoldEveryMatchingHouseholdOnceInOrdinalOrder(String filter, IntPredicate matches)
            throws Exception {
        List<String> expected = expectedIds(matches);
        assertTrue(expected.size() > 2 * PAGE, filter + " matches enough households to page: " + expected.size());
        assertEquals(expected.size(), new HashSet<>(expected).size(), "household ids are unique");
        assertEquals(expected.size(), count(server, "power", filter), "count of " + filter);
        assertEquals(expected, rowIds(SearchHttp.stream(server, "power", filter)), "stream of " + filter);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("filters")
    void jsonPagesShouldConcatenateToTheFullStream(String filter, IntPredicate matches) throws Exception {
        List<String> expected = expectedIds(matches);
        assertEquals(expected, pageThrough(server, "power", filter, "json", PAGE, expected.size()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("filters")
    void ndjsonPagesShouldConcatenateToTheFullStream(String filter, IntPredicate matches) throws Exception {
        List<String> expected = expectedIds(matches);
        assertEquals(expected, pageThrough(server, "power", filter, "ndjson", PAGE, expected.size()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("filters")
    void csvPagesShouldConcatenateToTheFullStream(String filter, IntPredicate matches) throws Exception {
        List<String> expected = expectedIds(matches);
        assertEquals(expected, pageThrough(server, "power", filter, "csv", PAGE, expected.size()));
    }

    @Test
    void standardPagesShouldListTheSameHouseholdsAsPower() throws Exception {
        int tehsil = hh.largest(hh.tehsil);
        List<String> expected = expectedIds(o -> hh.tehsil[o] == tehsil);
        assertEquals(expected, pageThrough(server, "standard", "tehsil=" + tehsil, "json", PAGE, expected.size()));
        assertEquals(expected.size(), count(server, "standard", "tehsil=" + tehsil));
    }

    @Test
    void jsonShouldDefaultToAPageOfOneHundredRows() throws Exception {
        HttpResponse<String> r = list(server, "power", "province=6");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode j = TestServer.json(r);
        assertEquals(expectedIds(o -> hh.province[o] == 6).subList(0, 100), jsonItemIds(j));
        assertFalse(j.get("next_cursor").isNull());
        assertFalse(j.has("total"), "no total unless asked");
        assertTrue(r.headers().firstValue("Total-Count").isEmpty());
    }

    @Test
    void acceptHeaderShouldChooseNdjsonOrCsvWhenFormatIsAbsent() throws Exception {
        int tehsil = hh.largest(hh.tehsil);
        List<String> expected = expectedIds(o -> hh.tehsil[o] == tehsil);
        HttpResponse<String> nd = TestServer.get(server, "/v1/households?tehsil=" + tehsil, "Authorization",
                "Bearer demo-power-key", "Accept", "application/x-ndjson");
        assertEquals(expected, rowIds(ndjson(nd)));
        HttpResponse<String> csv = TestServer.get(server, "/v1/households?tehsil=" + tehsil, "Authorization",
                "Bearer demo-power-key", "Accept", "text/csv");
        assertEquals("text/csv; charset=utf-8", csv.headers().firstValue("Content-Type").orElse(""));
        assertEquals(expected.size() + 1, SearchHttp.csv(csv.body()).size(), "header and one line per household");
    }

    @Test
    void totalShouldEqualTheCountInTheBodyAndTheHeaderOnEveryPage() throws Exception {
        long n = count(server, "power", "province=6");
        assertEquals(hh.idsWhere(o -> hh.province[o] == 6).size(), n);
        HttpResponse<String> first = list(server, "power", "province=6", "limit=5", "total=true");
        JsonNode j = TestServer.json(first);
        assertEquals(n, j.get("total").asLong());
        assertEquals(Long.toString(n), first.headers().firstValue("Total-Count").orElse(""));
        assertEquals(5, j.get("items").size());
        HttpResponse<String> second = list(server, "power", "province=6", "limit=5", "total=true",
                "cursor=" + j.get("next_cursor").asText());
        assertEquals(n, TestServer.json(second).get("total").asLong(), "the total of all pages, not the rest");
        for (String format : List.of("ndjson", "csv")) {
            HttpResponse<String> r = list(server, "power", "province=6", "limit=5", "total=true", "format=" + format);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(Long.toString(n), r.headers().firstValue("Total-Count").orElse(""), format);
        }
        HttpResponse<String> without = list(server, "power", "province=6", "limit=5", "total=false");
        assertFalse(TestServer.json(without).has("total"));
        assertTrue(without.headers().firstValue("Total-Count").isEmpty());
    }

    @Test
    void totalShouldCountOnlyTheSampleForBasic() throws Exception {
        long sample = hh.idsWhere(o -> hh.province[o] == 6 && hh.inSample(o)).size();
        HttpResponse<String> r = list(server, "basic", "province=6", "limit=1", "total=true");
        assertEquals(sample, TestServer.json(r).get("total").asLong());
        assertEquals(Long.toString(sample), r.headers().firstValue("Total-Count").orElse(""));
    }

    @Test
    void aFilterMatchingNothingShouldGiveOneEmptyLastPage() throws Exception {
        String none = "province=6&not_province=6";
        assertEquals(0, count(server, "power", none));
        JsonNode j = TestServer.json(list(server, "power", none, "total=true"));
        assertEquals(0, j.get("items").size());
        assertTrue(j.get("next_cursor").isNull());
        assertEquals(0, j.get("total").asLong());
        assertEquals(List.of(), ndjson(list(server, "power", none, "format=ndjson")));
        List<List<String>> csv = SearchHttp.csv(list(server, "power", none, "format=csv").body());
        assertEquals(1, csv.size(), "only the header");
        assertEquals("household_id", csv.get(0).get(0));
    }

    private static List<String> jsonItemIds(JsonNode page) {
        List<JsonNode> rows = new ArrayList<>();
        page.get("items").forEach(rows::add);
        return rowIds(rows);
    }
}

package pk.gov.bisp.nser.server.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.TestServer.expectProblem;
import static pk.gov.bisp.nser.server.SearchHttp.count;
import static pk.gov.bisp.nser.server.SearchHttp.list;
import static pk.gov.bisp.nser.server.SearchHttp.ndjson;
import static pk.gov.bisp.nser.server.SearchHttp.rowIds;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pk.gov.bisp.nser.core.index.Dimensions;
import pk.gov.bisp.nser.core.query.QueryParser;
import pk.gov.bisp.nser.server.Households;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.SearchHttp;
import pk.gov.bisp.nser.server.TestServer;

/** Refused searches: each a problem+json with the right status and a detail that says what is valid. */
class SearchErrorTest {

    private static NserServer server;
    private static Households hh;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.demo();
        hh = Households.load();
    }

    private static String detail(HttpResponse<String> r) throws Exception {
        return TestServer.json(r).get("detail").asText();
    }

    private static String demoYaml() throws Exception {
        return new String(TestServer.class.getResourceAsStream("/demo.yaml").readAllBytes());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/v1/households", "/v1/households/count"})
    void unknownFilterShouldBe400ListingTheValidFilters(String endpoint) throws Exception {
        HttpResponse<String> r = TestServer.get(server, endpoint + "?colour=red", TestServer.key("power"));
        expectProblem(r, 400, "invalid-filter");
        String detail = detail(r);
        assertTrue(detail.startsWith("unknown filter 'colour'"), detail);
        for (String f : QueryParser.filterNames()) {
            assertTrue(detail.contains(f), detail + " lists " + f);
        }
        assertEquals(endpoint.endsWith("/households"),
                detail.contains("other parameters: cursor, format, limit, total"), detail);
    }

    @Test
    void unknownValueShouldBe400ListingTheValidValues() throws Exception {
        HttpResponse<String> r = list(server, "power", "house_type=castle");
        expectProblem(r, 400, "invalid-filter");
        for (String v : Dimensions.HOUSE_TYPE.values()) {
            assertTrue(detail(r).contains(v), detail(r) + " lists " + v);
        }
        HttpResponse<String> flag = list(server, "power", "disabled_member=maybe");
        expectProblem(flag, 400, "invalid-filter");
        assertTrue(detail(flag).endsWith("valid: yes, no"), detail(flag));
        HttpResponse<String> province = list(server, "power", "province=99");
        expectProblem(province, 400, "invalid-filter");
        assertTrue(detail(province).startsWith("unknown province code 99; valid: "), detail(province));
        assertTrue(detail(province).contains("6 "), detail(province));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"pmt_min=abc", "pmt_min=20.123", "pmt_min=-1", "pmt_max=100.01", "pmt_min=50&pmt_max=40",
        "pmt_min=", "not_pmt_min=20", "household_size_min=13", "household_size_min=5&household_size_max=4",
        "province=six", "district=1&district="})
    void malformedFilterShouldBe400OnBothEndpoints(String filter) throws Exception {
        expectProblem(list(server, "power", filter), 400, "invalid-filter");
        expectProblem(TestServer.get(server, "/v1/households/count?" + filter, TestServer.key("power")), 400,
                "invalid-filter");
    }

    @Test
    void anEmptyPmtRangeShouldSayWhy() throws Exception {
        HttpResponse<String> r = list(server, "power", "pmt_min=50", "pmt_max=40");
        assertEquals("the PMT range is empty: the lowest score (50.0) is above the highest (40.0)", detail(r));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"limit=0", "limit=abc", "limit=-3", "limit=1.5", "limit=99999999999999999999"})
    void badLimitShouldBe400(String limit) throws Exception {
        expectProblem(list(server, "power", "province=6", limit), 400, "invalid-limit");
    }

    @Test
    void badFormatTotalOrRepeatedParameterShouldBe400() throws Exception {
        HttpResponse<String> xml = list(server, "power", "format=xml");
        expectProblem(xml, 400, "invalid-format");
        assertEquals("format='xml'; valid: json, ndjson, csv", detail(xml));
        expectProblem(list(server, "power", "total=yes"), 400, "invalid-total");
        expectProblem(list(server, "power", "limit=1", "limit=2"), 400, "repeated-parameter");
    }

    @Test
    void cursorOfAnotherQueryOrGarbageShouldBe400() throws Exception {
        JsonNode page = TestServer.json(list(server, "power", "province=6", "limit=1"));
        String cursor = page.get("next_cursor").asText();
        assertEquals(200, list(server, "power", "province=6", "limit=1", "cursor=" + cursor).statusCode());
        HttpResponse<String> other = list(server, "power", "province=5", "limit=1", "cursor=" + cursor);
        expectProblem(other, 400, "invalid-cursor");
        assertTrue(detail(other).contains("another query"), detail(other));
        expectProblem(list(server, "power", "province=6", "pmt_max=50", "cursor=" + cursor), 400, "invalid-cursor");
        expectProblem(list(server, "basic", "province=6", "cursor=" + cursor), 400, "invalid-cursor");
        for (String garbage : List.of("garbage", "AAAA", "%25%25%25", cursor.substring(1), cursor + "AA")) {
            HttpResponse<String> r = list(server, "power", "province=6", "cursor=" + garbage);
            expectProblem(r, 400, "invalid-cursor");
            assertEquals("cursor is not a token this server issued (or it was altered)", detail(r), garbage);
        }
    }

    @Test
    void missingKeyShouldBe401AndARoleWithoutSearchShouldBe403() throws Exception {
        expectProblem(TestServer.get(server, "/v1/households?province=6"), 401, "unauthenticated");
        expectProblem(TestServer.get(server, "/v1/households/count"), 401, "unauthenticated");
        expectProblem(TestServer.get(server, "/v1/households", "Authorization", "Bearer wrong"), 401, "invalid-key");
        expectProblem(list(server, "pos", "province=6"), 403, "role-not-allowed");
        expectProblem(TestServer.get(server, "/v1/households/count", TestServer.key("pos")), 403, "role-not-allowed");
    }

    @Test
    void limitAboveTheRolesRowLimitShouldBe400() throws Exception {
        try (NserServer limited = TestServer.start(TestServer.config(demoYaml()
                + "search: {row_limits: {basic: 5}}\n"))) {
            HttpResponse<String> r = list(limited, "basic", "limit=6");
            expectProblem(r, 400, "limit-above-row-limit");
            assertEquals("limit=6 is above the row limit of role basic (5 rows per request)", detail(r));
            assertEquals(5, TestServer.json(list(limited, "basic", "limit=5")).get("items").size());
            assertEquals(5, TestServer.json(list(limited, "basic")).get("items").size(), "JSON page of the limit");
            HttpResponse<String> nd = list(limited, "basic", "format=ndjson");
            assertEquals(5, ndjson(nd).size(), "a stream stops at the row limit");
            assertTrue(nd.headers().firstValue("Next-Cursor").isPresent(), "and says where to go on");
            assertEquals(200, list(limited, "power", "limit=1000000").statusCode(), "power has no limit");
        }
    }

    @Test
    void scopedOrganisationShouldSeeOnlyItsDistrict() throws Exception {
        int district = hh.largest(hh.district);
        int first = 0;
        while (hh.district[first] != district) {
            first++;
        }
        int province = hh.province[first];
        int tehsil = hh.tehsil[first];
        int elsewhere = 0;
        while (hh.province[elsewhere] == province) {
            elsewhere++;
        }
        int outside = hh.district[elsewhere];
        String yaml = demoYaml().replace("    type: government_federal_provincial\n",
                "    type: government_federal_provincial\n    scope: {district: " + district + "}\n");
        try (NserServer scoped = TestServer.start(TestServer.config(yaml))) {
            long all = count(server, "power", "district=" + district);
            assertEquals(hh.idsWhere(o -> hh.district[o] == district).size(), all);
            assertEquals(all, count(scoped, "power", ""), "unfiltered: the scope's district");
            assertEquals(all, count(scoped, "power", "district=" + district));
            assertEquals(count(server, "power", "tehsil=" + tehsil), count(scoped, "power", "tehsil=" + tehsil));
            assertEquals(rowIds(SearchHttp.stream(server, "power", "district=" + district)),
                    rowIds(SearchHttp.stream(scoped, "power", "")), "unfiltered rows: the district's");
            for (String wider : List.of("district=" + outside, "province=" + province,
                    "district=" + district + "," + outside)) {
                HttpResponse<String> r = list(scoped, "power", wider);
                expectProblem(r, 403, "outside-area-scope");
                assertTrue(detail(r).contains("punjab-social-protection") && detail(r).contains("district " + district),
                        detail(r));
                expectProblem(TestServer.get(scoped, "/v1/households/count?" + wider, TestServer.key("power")), 403,
                        "outside-area-scope");
            }
            assertEquals(count(server, "standard", ""), count(scoped, "standard", ""), "other organisations: national");
            assertTrue(all < count(server, "power", ""), "the scope is smaller than the country");
        }
    }
}

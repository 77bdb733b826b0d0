package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.search.SearchContext;

/**
 * The streamed read of a search request ({@link SearchRequest#streamed}) against the tree reader it stands in for:
 * a request in the common shape reads to the same items, ids and header values; any other (a refusal of the request
 * or of an item, a duplicate name, another type) is left to the tree reader, which answers it with its own checks.
 */
class SearchRequestTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String CNIC = "35202-1234567-1";
    private static Snapshot snapshot;
    private static SearchContext sc;

    @BeforeAll
    static void open() throws Exception {
        snapshot = TestServer.openSnapshot();
        sc = new SearchContext(snapshot);
    }

    @AfterAll
    static void close() {
        snapshot.close();
    }

    private static String body(String header, String message) {
        return "{\"signature\":\"\",\"header\":{" + header + "},\"message\":{" + message + "}}";
    }

    private static final String HEADER = "\"version\":\"1.0.0\",\"message_id\":\"m-1\",\"message_ts\":"
            + "\"2026-12-07T04:00:00Z\",\"action\":\"search\",\"sender_id\":\"spmis\",\"total_count\":1";

    private static String item(String ref, String criteria) {
        return "{\"reference_id\":\"" + ref + "\",\"timestamp\":\"2026-12-07T04:00:00+05:00\",\"search_criteria\":{"
                + criteria + "}}";
    }

    private static String idItem(String ref, String type, String value) {
        return item(ref, "\"query_type\":\"idtype-value\",\"response_entity\":\"Group\",\"query\":{\"type\":\""
                + type + "\",\"value\":\"" + value + "\"}");
    }

    private static String request(String... items) {
        return body(HEADER.replace("\"total_count\":1", "\"total_count\":" + items.length),
                "\"transaction_id\":\"t-1\",\"search_request\":[" + String.join(",", items) + "]");
    }

    private static SearchRequest streamed(String body) {
        return SearchRequest.streamed(body.getBytes(StandardCharsets.UTF_8), 10, new Criteria(sc), 20, 1_000);
    }

    /** What DciRoutes' tree reader makes of a request whose header and message it takes. */
    private static SearchRequest tree(String body) throws Exception {
        JsonNode n = M.readTree(body);
        Criteria criteria = new Criteria(sc);
        List<SearchItem> items = new ArrayList<>();
        for (JsonNode i : n.path("message").path("search_request")) {
            items.add(SearchItem.read(i, criteria, 20, 1_000));
        }
        return SearchRequest.of(n.path("header"), n.path("message"), items);
    }

    private static void assertSameAsTree(String body) throws Exception {
        SearchRequest got = streamed(body);
        SearchRequest want = tree(body);
        assertNotNull(got, body);
        assertEquals(want.senderId(), got.senderId());
        assertEquals(want.senderUri(), got.senderUri());
        assertEquals(want.transactionId(), got.transactionId());
        assertEquals(want.items().size(), got.items().size());
        for (int i = 0; i < want.items().size(); i++) {
            SearchItem w = want.items().get(i);
            SearchItem g = got.items().get(i);
            assertNull(w.rejection, body);
            assertNull(g.rejection);
            assertEquals(w.referenceId, g.referenceId);
            assertEquals(w.locale, g.locale);
            assertEquals(w.id, g.id);
            assertEquals(String.valueOf(w.query), String.valueOf(g.query));
            assertEquals(w.member, g.member);
            assertEquals(w.pageSize, g.pageSize);
            assertEquals(w.pageNumber, g.pageNumber);
            assertEquals(w.sort, g.sort);
            assertEquals(w.purposes, g.purposes);
        }
    }

    @Test
    void theLoadGeneratorsLookupShouldReadAsTheTreeReadsIt() throws Exception {
        assertSameAsTree(request(idItem("1", "UIN", CNIC)));
        assertEquals(new Criteria.Id(pk.gov.bisp.nser.core.cnic.Cnic.tryParse(CNIC), -1),
                streamed(request(idItem("1", "UIN", CNIC))).items().get(0).id);
    }

    @Test
    void everyFieldOfTheCommonShapeShouldReadAsTheTreeReadsIt() throws Exception {
        assertSameAsTree(request(item("r-9", "\"consent\":{\"ts\":\"2026-12-07T04:00:00Z\",\"purpose\":{\"text\":"
                + "\"BISP payment\",\"code\":\"P1\"}},\"authorize\":{\"purpose\":{\"ref_uri\":\"https://x\"}},"
                + "\"query_type\":\"idtype-value\",\"response_entity\":\" member \",\"query\":{\"type\":\" cnic \","
                + "\"value\":\" " + CNIC + " \",\"extra\":[1,{\"a\":null}]},\"pagination\":{\"page_size\":5,"
                + "\"page_number\":1},\"sort\":[{\"attribute_name\":\"UIN\",\"sort_order\":\"asc\"}],\"reg_type\":"
                + "\"ns:org:RegistryType:Social\"").replace("\"timestamp\"", "\"locale\":\"urd\",\"timestamp\"")));
        assertSameAsTree(request(item("p", "\"query_type\":\"predicate\",\"query\":[{\"seq_num\":1,\"expression1\":"
                + "{\"attribute_name\":\"poverty_score\",\"operator\":\"lt\",\"attribute_value\":20}}],"
                + "\"consent\":\"\",\"authorize\":\"\",\"sort\":[{\"attribute_name\":\"poverty_score\","
                + "\"sort_order\":\"desc\"}],\"pagination\":{\"page_size\":\"7\",\"page_number\":2}")));
        assertSameAsTree(request(idItem("a", "HOUSEHOLD_ID", "12"), idItem("b", "NIN", CNIC)));
        assertSameAsTree(body("\"message_id\":\"m\",\"message_ts\":\"2026-12-07T04:00:00.123+05:00\",\"action\":"
                + "\"search\",\"total_count\":null,\"sender_uri\":\"http://127.0.0.1:9/cb\",\"receiver_id\":\"x\"",
                "\"search_request\":[" + idItem("1", "UIN", CNIC) + "],\"other\":{\"a\":[1]}"));
    }

    @Test
    void anythingTheTreeReaderWouldRefuseOrReadOtherwiseShouldBeLeftToIt() {
        String good = request(idItem("1", "UIN", CNIC));
        assertNotNull(streamed(good));
        List<String> others = List.of(
                "", "[]", "{", good + " {}", good.replace("\"message_id\"", "\"message_id\":\"x\",\"message_id\""),
                good.replace("\"reference_id\":\"1\"", "\"reference_id\":1"),
                good.replace("\"reference_id\":\"1\"", "\"reference_id\":\"" + "r".repeat(100) + "\""),
                good.replace("\"reference_id\":\"1\",", ""),
                good.replace("+05:00", "+25:00"), good.replace("\"version\":\"1.0.0\"", "\"version\":\"2.0.0\""),
                good.replace("\"action\":\"search\"", "\"action\":\"subscribe\""),
                good.replace("\"total_count\":1", "\"total_count\":2"),
                good.replace("\"total_count\":1", "\"total_count\":\"1\""),
                good.replace("\"sender_id\":\"spmis\"", "\"sender_id\":7"),
                good.replace("\"sender_id\":\"spmis\"", "\"is_msg_encrypted\":true"),
                good.replace("\"message_id\":\"m-1\"", "\"message_id\":\"\""),
                good.replace("\"transaction_id\":\"t-1\"", "\"transaction_id\":5"),
                good.replace("\"UIN\"", "\"MOBILE\""), good.replace(CNIC, "not-a-cnic"),
                good.replace("\"idtype-value\"", "\"expression\""), good.replace("\"Group\"", "\"Family\""),
                good.replace("\"query_type\":\"idtype-value\",", ""),
                good.replace("\"type\":\"UIN\",", "\"type\":\"UIN\",\"type\":\"NIN\","),
                good.replace("\"response_entity\"", "\"pagination\":{\"page_size\":0},\"response_entity\""),
                good.replace("\"response_entity\"", "\"sort\":[{\"attribute_name\":\"name\"}],\"response_entity\""),
                request(idItem("1", "UIN", CNIC), idItem("1", "NIN", CNIC)).replace("\"reference_id\":\"1\"",
                        "\"reference_id\":1"),
                request(), request(idItem("1", "UIN", CNIC), idItem("2", "UIN", CNIC), idItem("3", "UIN", CNIC),
                        idItem("4", "UIN", CNIC), idItem("5", "UIN", CNIC), idItem("6", "UIN", CNIC),
                        idItem("7", "UIN", CNIC), idItem("8", "UIN", CNIC), idItem("9", "UIN", CNIC),
                        idItem("10", "UIN", CNIC), idItem("11", "UIN", CNIC)),
                body(HEADER, "\"transaction_id\":\"t\",\"search_request\":{}"),
                "{\"header\":{" + HEADER + "}}");
        for (String body : others) {
            assertNull(streamed(body), body);
        }
    }
}

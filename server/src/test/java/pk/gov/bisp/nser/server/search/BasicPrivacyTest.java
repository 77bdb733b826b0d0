package pk.gov.bisp.nser.server.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.TestServer.expectProblem;
import static pk.gov.bisp.nser.server.SearchHttp.list;
import static pk.gov.bisp.nser.server.SearchHttp.stream;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.Households;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * Issue 23.2: Basic's cursor no longer carries the ordinal of its row in the clear (a Basic user paging with limit=1
 * read it and linked 20 of 20 anonymised rows to their households), and Basic's by-CNIC answer (exact score, union
 * council) cannot single out the same household in the anonymised sample: every (address, band) a sample row shows
 * is shown by at least k rows, and Basic's filters are no finer.
 */
class BasicPrivacyTest {

    private static final int K = 10;

    @Test
    void cursorsShouldBeSealedAndBoundToQueryRoleAndToken() throws Exception {
        NserServer s = TestServer.demo();
        JsonNode a = TestServer.json(list(s, "basic", "province=6", "limit=1"));
        JsonNode b = TestServer.json(list(s, "basic", "province=6", "limit=1"));
        String c1 = a.get("next_cursor").asText();
        String c2 = b.get("next_cursor").asText();
        // the same position sealed twice reads differently: nothing in the token is the ordinal in the clear
        assertNotEquals(c1, c2);
        assertNotEquals(oldOrdinal(c1), oldOrdinal(c2), "what the old format read as the row's ordinal");
        JsonNode next1 = TestServer.json(list(s, "basic", "province=6", "limit=1", "cursor=" + c1));
        JsonNode next2 = TestServer.json(list(s, "basic", "province=6", "limit=1", "cursor=" + c2));
        assertEquals(next1.get("items"), next2.get("items"), "both lead to the same next row");
        assertNotEquals(a.get("items"), next1.get("items"));
        // any altered character is refused
        byte[] raw = Base64.getUrlDecoder().decode(c1);
        for (int i = 0; i < raw.length; i++) {
            byte[] t = raw.clone();
            t[i] ^= 0x01;
            String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
            HttpResponse<String> r = list(s, "basic", "province=6", "limit=1", "cursor=" + tampered);
            expectProblem(r, 400, "invalid-cursor");
        }
        // the same query under another role: Standard's cursor is not Power's
        String standard = TestServer.json(list(s, "standard", "province=6", "limit=1")).get("next_cursor").asText();
        HttpResponse<String> power = list(s, "power", "province=6", "limit=1", "cursor=" + standard);
        expectProblem(power, 400, "invalid-cursor");
        assertTrue(TestServer.json(power).get("detail").asText().contains("another role"), power.body());
    }

    /** The ordinal the version-1 cursor carried in bytes 1 to 4 of its base64. */
    private static int oldOrdinal(String cursor) {
        return ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor), 1, 4).getInt();
    }

    @Test
    void everyAreaAndBandBasicSeesInTheSampleShouldBeSharedByKRows() throws Exception {
        NserServer s = TestServer.demo();
        List<JsonNode> rows = stream(s, "basic", "");
        Households hh = Households.load();
        int sample = 0;
        for (int o = 0; o < hh.size; o++) {
            sample += hh.inSample(o) ? 1 : 0;
        }
        assertEquals(sample, rows.size());
        Map<String, Integer> shown = new HashMap<>();
        for (JsonNode r : rows) {
            assertNull(r.get("pmt_score"), "no exact score");
            assertNull(r.get("address").get("union_council"), "no union council");
            shown.merge(r.get("address").toString() + " " + r.get("pmt_band"), 1, Integer::sum);
        }
        List<String> small = new ArrayList<>();
        shown.forEach((what, n) -> {
            if (n < K) {
                small.add(n + " x " + what);
            }
        });
        assertEquals(List.of(), small, "combinations shown by fewer than k=" + K + " rows");
        // 200-odd sample households of 20,000 rarely fill a tehsil cell; at national scale most do
        assertTrue(shown.keySet().stream().anyMatch(w -> w.contains("province")), "some rows still show a province");
        // a household Basic looks up by CNIC: its exact score and union council match at least k sample rows
        for (int o = 0, tried = 0; o < hh.size && tried < 30; o++) {
            if (!hh.inSample(o) || hh.someCnic[o] == 0) {
                continue;
            }
            tried++;
            JsonNode byCnic = TestServer.json(TestServer.get(s, "/v1/households/by-cnic/"
                    + Cnic.format(hh.someCnic[o]), TestServer.key("basic")));
            int score = (int) Math.round(byCnic.get("pmt_score").asDouble() * 100);
            JsonNode address = byCnic.get("address");
            int matching = 0;
            for (JsonNode r : rows) {
                matching += consistent(r, address, score) ? 1 : 0;
            }
            assertTrue(matching >= K, "household at " + o + " matches " + matching + " sample rows");
        }
    }

    /** Whether a sample row could be the household whose exact address and score Basic's lookup showed. */
    private static boolean consistent(JsonNode row, JsonNode address, int score) {
        for (Map.Entry<String, JsonNode> level : row.get("address").properties()) {
            if (!level.getValue().get("code").equals(address.get(level.getKey()).get("code"))) {
                return false;
            }
        }
        JsonNode band = row.get("pmt_band");
        if (band.isNull()) {
            return true;
        }
        String[] edges = band.asText().split("-");
        return score >= Integer.parseInt(edges[0]) * 100 && score < Integer.parseInt(edges[1]) * 100;
    }

    @Test
    void basicFiltersShouldBeNoFinerThanWhatItSees() throws Exception {
        NserServer s = TestServer.demo();
        Households hh = Households.load();
        for (String fine : List.of("tehsil=" + hh.tehsil[0], "uc=" + hh.tehsil[0] + "01", "not_tehsil=" + hh.tehsil[0],
                "pmt_min=24.73", "pmt_max=24.74", "pmt_below=32", "pmt_min=20&pmt_max=25")) {
            String[] params = fine.split("&");
            expectProblem(list(s, "basic", params), 400, "filter-too-fine");
        }
        for (String ok : List.of("district=" + hh.district[0], "pmt_min=20&pmt_below=35", "pmt_max=24.99",
                "province=6&pmt_min=0")) {
            HttpResponse<String> r = list(s, "basic", ok.split("&"));
            assertEquals(200, r.statusCode(), ok + ": " + r.body());
        }
        // other roles keep their fine filters
        assertEquals(200, list(s, "power", "pmt_min=24.73", "pmt_max=24.74").statusCode());
    }
}

package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * {@code POST /registry/sync/search} (issue 32): every query type, both entities, paging and sorting, each role's
 * projection, billing and every rejection, each answer validated against the contract's schema with a validator
 * library ({@link DciContract}), and its values checked against the native API over the same snapshot.
 */
class DciSyncSearchTest {

    static final ObjectMapper M = new ObjectMapper();
    private static NserServer s;
    private static long cnic;
    private static long secondCnic;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.demo();
        List<Long> heads = TestServer.headCnics(7, 1_000, 2);
        cnic = heads.get(0);
        secondCnic = heads.get(1);
    }

    // ---------------------------------------------------------------- requests

    static ObjectNode envelope(ArrayNode items) {
        ObjectNode body = M.createObjectNode();
        body.put("signature", "");
        ObjectNode h = body.putObject("header");
        h.put("version", "1.0.0").put("message_id", "m-1").put("message_ts", "2026-12-07T04:00:00Z")
                .put("action", "search").put("sender_id", "spmis.test").put("receiver_id", "nser")
                .put("total_count", items.size()).put("is_msg_encrypted", false);
        ObjectNode m = body.putObject("message");
        m.put("transaction_id", "t-1");
        m.set("search_request", items);
        return body;
    }

    static ObjectNode item(String ref, String queryType, JsonNode query) {
        ObjectNode i = M.createObjectNode();
        i.put("reference_id", ref).put("timestamp", "2026-12-07T04:00:00+05:00");
        ObjectNode c = i.putObject("search_criteria");
        c.put("version", "1.0.0").put("reg_type", "ns:org:RegistryType:Social").put("query_type", queryType)
                .put("response_entity", "Group");
        c.set("query", query);
        return i;
    }

    static ObjectNode idItem(String ref, String type, String value) {
        return item(ref, "idtype-value", M.createObjectNode().put("type", type).put("value", value));
    }

    static ObjectNode predicate(String attr, String op, Object value) {
        ObjectNode e = M.createObjectNode();
        e.put("attribute_name", attr).put("operator", op);
        e.set("attribute_value", M.valueToTree(value));
        return e;
    }

    /** A predicate query of {@code expression1 [and expression2 ...]} in one item. */
    static ObjectNode predicateItem(String ref, ObjectNode... expressions) {
        ArrayNode q = M.createArrayNode();
        ObjectNode p = q.addObject();
        p.put("seq_num", 1);
        for (int i = 0; i < expressions.length; i++) {
            p.set("expression" + (i + 1), expressions[i]);
        }
        if (expressions.length > 1) {
            p.put("condition", "and");
        }
        return item(ref, "predicate", q);
    }

    static ArrayNode items(ObjectNode... items) {
        ArrayNode a = M.createArrayNode();
        for (ObjectNode i : items) {
            a.add(i);
        }
        return a;
    }

    static HttpResponse<String> post(String role, JsonNode body) throws Exception {
        return role == null ? TestServer.send(s, "POST", "/registry/sync/search", body.toString(),
                "Content-Type", "application/json")
                : TestServer.send(s, "POST", "/registry/sync/search", body.toString(), "Content-Type",
                        "application/json", "Authorization", "Bearer demo-" + role + "-key");
    }

    /** Posts, checks the answer against the contract, and returns its single search_response item. */
    static JsonNode search(String role, ObjectNode item) throws Exception {
        HttpResponse<String> r = post(role, envelope(items(item)));
        assertEquals(200, r.statusCode(), r.body());
        DciContract.assertValid(DciContract.SYNC_SEARCH, r.body());
        JsonNode body = M.readTree(r.body());
        assertEquals("on-search", body.path("header").path("action").asText());
        assertEquals("t-1", body.path("message").path("transaction_id").asText());
        return body.path("message").path("search_response").get(0);
    }

    static void assertRejected(JsonNode response, String code, String mentions) {
        assertEquals("rjct", response.path("status").asText(), response.toString());
        assertEquals(code, response.path("status_reason_code").asText(), response.toString());
        assertTrue(response.path("status_reason_message").asText().contains(mentions), response.toString());
        assertFalse(response.has("data"));
    }

    // ---------------------------------------------------------------- the contract checks itself

    @Test
    void theValidatorShouldRefuseABodyOutsideTheContract() {
        // the schema check is real: a wrong status, a missing correlation_id and a bad code are each caught
        String bad = "{\"header\":{\"message_id\":\"1\",\"message_ts\":\"2026-12-07T04:00:00Z\",\"action\":\"on-search\","
                + "\"status\":\"done\"},\"message\":{\"transaction_id\":\"t\",\"search_response\":[{\"reference_id\":"
                + "\"r\",\"timestamp\":\"2026-12-07T04:00:00Z\",\"status\":\"rjct\",\"status_reason_code\":\"rjct.nope\"}]}}";
        List<String> errors = DciContract.errors(DciContract.SYNC_SEARCH, bad);
        assertTrue(errors.stream().anyMatch(e -> e.contains("status")), errors.toString());
        assertFalse(errors.isEmpty());
        assertFalse(DciContract.errors(DciContract.HTTP_ERROR, "{\"errors\": [{\"code\": 401}]}").isEmpty());
    }

    // ---------------------------------------------------------------- idtype-value

    @Test
    void aPowerLookupByUinShouldAnswerTheWholeHouseholdAsAGroupAndBillOneRow() throws Exception {
        HttpResponse<String> r = post("power", envelope(items(idItem("r1", "UIN", Cnic.format(cnic)))));
        assertEquals(200, r.statusCode(), r.body());
        DciContract.assertValid(DciContract.SYNC_SEARCH, r.body());
        assertEquals("1", r.headers().firstValue("Billed-Rows").orElse(""));
        JsonNode native_ = TestServer.json(TestServer.get(s, "/v1/households/by-cnic/" + Cnic.format(cnic),
                TestServer.key("power")));
        JsonNode item = M.readTree(r.body()).path("message").path("search_response").get(0);
        assertEquals("succ", item.path("status").asText());
        assertEquals("r1", item.path("reference_id").asText());
        assertEquals(1, item.path("pagination").path("total_count").asInt());
        JsonNode group = item.path("data").path("reg_records").get(0);
        assertEquals("Group", group.path("@type").asText());
        assertEquals(native_.path("household_id").asText(),
                group.path("group_identifier").get(0).path("identifier_value").asText());
        assertEquals(native_.path("pmt_score").decimalValue(), group.path("poverty_score").decimalValue());
        assertEquals(native_.path("members").size(), group.path("group_size").asInt());
        assertEquals(native_.path("members").size(), group.path("member_list").size());
        // Power sees every member's CNIC, as natively
        for (int i = 0; i < native_.path("members").size(); i++) {
            JsonNode nm = native_.path("members").get(i);
            JsonNode dm = group.path("member_list").get(i);
            if (!nm.path("cnic").isNull()) {
                assertEquals(nm.path("cnic").asText(), dm.path("member_identifier").get(0).path("identifier_value")
                        .asText());
            }
            assertEquals(nm.path("name").asText(), dm.path("demographic_info").path("name").path("given_name")
                    .asText());
            assertEquals(nm.path("gender").asText(), dm.path("demographic_info").path("sex").asText());
        }
        assertEquals(native_.path("contact_phone"), group.path("contact_phone"));
    }

    @Test
    void nineCnicAndNinShouldFindTheSameHousehold() throws Exception {
        for (String type : new String[] {"NIN", "CNIC"}) {
            JsonNode item = search("power", idItem("r", type, Long.toString(cnic)));
            assertEquals(1, item.path("data").path("reg_records").size(), type);
        }
    }

    @Test
    void aStandardLookupShouldNeverSerialiseAnotherMembersCnicNorTheContactNumber() throws Exception {
        ObjectNode i = idItem("r", "UIN", Cnic.format(cnic));
        ((ObjectNode) i.path("search_criteria")).putObject("authorize").putObject("purpose")
                .put("text", "loan appraisal").put("code", "credit");
        JsonNode item = search("standard", i);
        String text = item.toString();
        assertEquals("succ", item.path("status").asText(), text);
        JsonNode group = item.path("data").path("reg_records").get(0);
        assertFalse(group.has("contact_phone"), text);
        assertFalse(group.has("dwelling"), text);
        int withCnic = 0;
        for (JsonNode m : group.path("member_list")) {
            withCnic += m.has("member_identifier") ? 1 : 0;
            assertFalse(m.has("date_of_birth") || m.path("demographic_info").has("birth_date"), text);
        }
        assertEquals(1, withCnic, "only the searched member's CNIC: " + text);
        assertTrue(text.contains(Cnic.format(cnic)));
    }

    @Test
    void aBasicLookupShouldShowTheSearchedNameAddressAndScoreOnly() throws Exception {
        JsonNode item = search("basic", idItem("r", "UIN", Cnic.format(cnic)));
        JsonNode group = item.path("data").path("reg_records").get(0);
        assertFalse(group.has("group_identifier"), group.toString());
        assertFalse(group.has("group_size"), group.toString());
        assertEquals(1, group.path("member_list").size());
        assertFalse(group.path("member_list").get(0).has("member_identifier"));
        assertTrue(group.has("poverty_score"));
        assertTrue(group.has("address"));
    }

    @Test
    void aMemberLookupShouldAnswerTheSearchedPerson() throws Exception {
        ObjectNode i = idItem("r", "UIN", Cnic.format(secondCnic));
        ((ObjectNode) i.path("search_criteria")).put("response_entity", "Member");
        JsonNode item = search("power", i);
        assertEquals("Member", item.path("data").path("reg_record_type").asText());
        JsonNode m = item.path("data").path("reg_records").get(0);
        assertEquals("Member", m.path("@type").asText());
        assertEquals(Cnic.format(secondCnic), m.path("member_identifier").get(0).path("identifier_value").asText());
        assertEquals(1, item.path("data").path("reg_records").size());
    }

    @Test
    void aHouseholdIdLookupShouldMatchTheNativeLookupById() throws Exception {
        JsonNode native_ = TestServer.json(TestServer.get(s, "/v1/households/by-cnic/" + Cnic.format(cnic),
                TestServer.key("power")));
        String id = native_.path("household_id").asText();
        JsonNode item = search("standard", withPurpose(idItem("r", "HOUSEHOLD_ID", id)));
        JsonNode group = item.path("data").path("reg_records").get(0);
        assertEquals(id, group.path("group_identifier").get(0).path("identifier_value").asText());
        for (JsonNode m : group.path("member_list")) {
            assertFalse(m.has("member_identifier"), "Standard by id sees no CNIC at all: " + m);
        }
        assertRejected(search("basic", idItem("r", "HOUSEHOLD_ID", id)), "rjct.search_criteria.invalid",
                "HOUSEHOLD_ID");
    }

    @Test
    void anUnknownCnicShouldBeAnsweredWithNoRecordsAndBilledNothing() throws Exception {
        String unknown = "99999-9999999-1";
        HttpResponse<String> r = post("power", envelope(items(idItem("r", "UIN", unknown))));
        DciContract.assertValid(DciContract.SYNC_SEARCH, r.body());
        JsonNode item = M.readTree(r.body()).path("message").path("search_response").get(0);
        assertEquals("succ", item.path("status").asText());
        assertEquals(0, item.path("pagination").path("total_count").asInt());
        assertEquals(0, item.path("data").path("reg_records").size());
        assertEquals("0", r.headers().firstValue("Billed-Rows").orElse(""));
    }

    @Test
    void mobileAndUnknownIdentifierTypesShouldBeRejectedNamingThem() throws Exception {
        assertRejected(search("power", idItem("r", "MOBILE", "923001234567")), "rjct.search_criteria.invalid",
                "MOBILE");
        assertRejected(search("power", idItem("r", "PASSPORT", "X1")), "rjct.search_criteria.invalid", "PASSPORT");
        assertRejected(search("power", idItem("r", "UIN", "12345")), "rjct.search_criteria.invalid", "CNIC");
    }

    // ---------------------------------------------------------------- predicate and expression

    @Test
    void aPredicateSearchShouldCountWhatTheNativeListCountsAndPageWithoutOverlap() throws Exception {
        long nativeCount = TestServer.json(TestServer.get(s, "/v1/households/count?pmt_max=20.99&household_size_max=4",
                TestServer.key("power"))).path("count").asLong();
        assertTrue(nativeCount > 25, "the fixture should have enough matches: " + nativeCount);
        Set<String> seen = new HashSet<>();
        for (int page = 1; page <= 3; page++) {
            ObjectNode i = predicateItem("r", predicate("poverty_score", "lt", 21), predicate("group_size", "le", 4));
            ((ObjectNode) i.path("search_criteria")).putObject("pagination").put("page_size", 10)
                    .put("page_number", page);
            JsonNode item = search("power", i);
            assertEquals(nativeCount, item.path("pagination").path("total_count").asLong());
            assertEquals(page, item.path("pagination").path("page_number").asInt());
            JsonNode records = item.path("data").path("reg_records");
            assertEquals(10, records.size());
            for (JsonNode g : records) {
                assertTrue(g.path("poverty_score").asDouble() < 21, g.toString());
                assertTrue(g.path("group_size").asInt() <= 4, g.toString());
                assertTrue(seen.add(g.path("group_identifier").get(0).path("identifier_value").asText()));
            }
        }
        assertEquals(30, seen.size());
    }

    @Test
    void aPageSortedByScoreShouldContinueWhereThePreviousEnded() throws Exception {
        List<Double> scores = new ArrayList<>();
        for (String order : new String[] {"asc", "desc"}) {
            scores.clear();
            for (int page = 1; page <= 3; page++) {
                ObjectNode i = predicateItem("r", predicate("poverty_score", "ge", 10), predicate("poverty_score",
                        "lt", 40));
                ObjectNode c = (ObjectNode) i.path("search_criteria");
                c.putObject("pagination").put("page_size", 7).put("page_number", page);
                c.putArray("sort").addObject().put("attribute_name", "poverty_score").put("sort_order", order);
                for (JsonNode g : search("power", i).path("data").path("reg_records")) {
                    scores.add(g.path("poverty_score").asDouble());
                }
            }
            assertEquals(21, scores.size());
            for (int k = 1; k < scores.size(); k++) {
                assertTrue(order.equals("asc") ? scores.get(k - 1) <= scores.get(k) : scores.get(k - 1) >= scores.get(k),
                        order + " " + scores);
            }
            assertTrue(scores.get(0) >= 10 && scores.get(0) < 40);
        }
        // the lowest score of the range is the first of the ascending order
        ObjectNode i = predicateItem("r", predicate("poverty_score", "ge", 10), predicate("poverty_score", "lt", 40));
        ObjectNode c = (ObjectNode) i.path("search_criteria");
        c.putObject("pagination").put("page_size", 1);
        c.putArray("sort").addObject().put("attribute_name", "poverty_score").put("sort_order", "asc");
        double lowest = search("power", i).path("data").path("reg_records").get(0).path("poverty_score").asDouble();
        long below = TestServer.json(TestServer.get(s, "/v1/households/count?pmt_min=10&pmt_below=" + lowest,
                TestServer.key("power"))).path("count").asLong();
        assertEquals(0, below, "nothing in the range scores below " + lowest);
    }

    @Test
    void theStandardsOwnExpressionExampleShouldBeAnswered() throws Exception {
        JsonNode example = M.readTree(DciContract.file().resolveSibling("examples/processflow1-1req.json").toFile());
        DciContract.assertValid(DciContract.SYNC_SEARCH, "{\"header\":" + "{\"message_id\":\"1\",\"message_ts\":"
                + "\"2026-12-07T04:00:00Z\",\"action\":\"on-search\",\"status\":\"succ\"}}"); // sanity of the pointer
        HttpResponse<String> r = post("power", example);
        assertEquals(200, r.statusCode(), r.body());
        DciContract.assertValid(DciContract.SYNC_SEARCH, r.body());
        JsonNode item = M.readTree(r.body()).path("message").path("search_response").get(0);
        assertEquals("succ", item.path("status").asText(), item.toString());
        long nativeCount = TestServer.json(TestServer.get(s, "/v1/households/count?pmt_below=5",
                TestServer.key("power"))).path("count").asLong();
        assertEquals(nativeCount, item.path("pagination").path("total_count").asLong());
        for (JsonNode g : item.path("data").path("reg_records")) {
            assertTrue(g.path("poverty_score").asDouble() < 5);
        }
    }

    @Test
    void everyProcessFlowOfTheStandardShouldBeAnsweredOrRefusedNamingWhy() throws Exception {
        // the examples' own slips are read leniently (an empty consent, total_count as a string, "Household"); what
        // the registry has no index for is refused naming it, never guessed at
        String[][] flows = {{"processflow1-1req.json", "succ", ""}, {"processflow1-2req.json", "succ", ""},
            {"processflow1-3req.json", "rjct.search_criteria.invalid", "sex"},
            {"processflow2req.json", "rjct.search_criteria.invalid", "847951632"},
            {"processflow3areq.json", "rjct.search_criteria.invalid", "age"},
            {"processflow4req.json", "rjct.search_criteria.invalid", "age"}};
        for (String[] f : flows) {
            JsonNode example = M.readTree(DciContract.file().resolveSibling("examples/" + f[0]).toFile());
            HttpResponse<String> r = post("power", example);
            assertEquals(200, r.statusCode(), f[0] + " " + r.body());
            DciContract.assertValid(DciContract.SYNC_SEARCH, r.body());
            JsonNode item = M.readTree(r.body()).path("message").path("search_response").get(0);
            if (f[1].equals("succ")) {
                assertEquals("succ", item.path("status").asText(), f[0] + " " + item);
            } else {
                assertRejected(item, f[1], f[2]);
            }
        }
        // processflow1-2: households of fewer than 5 members, sorted by household_size
        JsonNode example = M.readTree(DciContract.file().resolveSibling("examples/processflow1-2req.json").toFile());
        JsonNode item = M.readTree(post("power", example).body()).path("message").path("search_response").get(0);
        long nativeCount = TestServer.json(TestServer.get(s, "/v1/households/count?household_size_max=4",
                TestServer.key("power"))).path("count").asLong();
        assertEquals(nativeCount, item.path("pagination").path("total_count").asLong());
        int last = 0;
        for (JsonNode g : item.path("data").path("reg_records")) {
            assertTrue(g.path("group_size").asInt() >= last && g.path("group_size").asInt() < 5, item.toString());
            last = g.path("group_size").asInt();
        }
    }

    @Test
    void aSortByGroupSizeShouldPageThroughTheSizeBuckets() throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (int page = 1; page <= 4; page++) {
            ObjectNode i = predicateItem("r", predicate("poverty_score", "lt", "60"));
            ObjectNode c = (ObjectNode) i.path("search_criteria");
            c.putObject("pagination").put("page_size", 50).put("page_number", page);
            c.putArray("sort").addObject().put("attribute_name", "group_size").put("sort_order", "desc");
            for (JsonNode g : search("power", i).path("data").path("reg_records")) {
                sizes.add(Math.min(12, g.path("group_size").asInt()));
            }
        }
        assertEquals(200, sizes.size());
        for (int k = 1; k < sizes.size(); k++) {
            assertTrue(sizes.get(k - 1) >= sizes.get(k), sizes.toString());
        }
        assertTrue(sizes.get(0) > sizes.get(sizes.size() - 1), sizes.toString());
    }

    @Test
    void orNotAndLocationShouldCombineBitmaps() throws Exception {
        JsonNode any = TestServer.json(TestServer.get(s, "/v1/households?limit=1", TestServer.key("power")));
        String district = any.path("items").get(0).path("address").path("district").path("code").asText();
        long inDistrict = TestServer.json(TestServer.get(s, "/v1/households/count?district=" + district,
                TestServer.key("power"))).path("count").asLong();
        long widowsThere = TestServer.json(TestServer.get(s, "/v1/households/count?widow=yes&district=" + district,
                TestServer.key("power"))).path("count").asLong();
        ObjectNode expr = M.createObjectNode();
        ObjectNode q = expr.putObject("value").putObject("expression").put("collection", "Group").putObject("query");
        ArrayNode and = q.putArray("$and");
        and.addObject().putObject("location").put("$eq", Integer.parseInt(district));
        and.addObject().putObject("$not").putObject("widow").put("$eq", "yes");
        JsonNode item = search("power", item("r", "expression", expr));
        assertEquals(inDistrict - widowsThere, item.path("pagination").path("total_count").asLong());
        // or: widows anywhere or in the district
        long widows = TestServer.json(TestServer.get(s, "/v1/households/count?widow=yes", TestServer.key("power")))
                .path("count").asLong();
        ArrayNode preds = M.createArrayNode();
        preds.addObject().put("seq_num", 1).put("condition", "or")
                .<ObjectNode>set("expression1", predicate("district", "eq", district))
                .set("expression2", predicate("marital_status", "eq", "widow"));
        JsonNode or = search("power", item("r", "predicate", preds));
        assertEquals(inDistrict + widows - widowsThere, or.path("pagination").path("total_count").asLong());
    }

    @Test
    void unknownAttributesOperatorsSortsAndPagesShouldBeRejectedWithTheContractsCodes() throws Exception {
        assertRejected(search("power", predicateItem("r", predicate("favourite_colour", "eq", "red"))),
                "rjct.search_criteria.invalid", "favourite_colour");
        assertRejected(search("power", predicateItem("r", predicate("poverty_score", "like", 3))),
                "rjct.search_criteria.invalid", "like");
        assertRejected(search("power", predicateItem("r", predicate("poverty_score", "lt", "many"))),
                "rjct.search_criteria.invalid", "many");
        assertRejected(search("power", predicateItem("r", predicate("age", "lt", 30))),
                "rjct.search_criteria.invalid", "index");
        assertRejected(search("power", predicateItem("r", predicate("district", "eq", 999999))),
                "rjct.search_criteria.invalid", "999999");
        ObjectNode sorted = predicateItem("r", predicate("poverty_score", "lt", 10));
        ((ObjectNode) sorted.path("search_criteria")).putArray("sort").addObject().put("attribute_name", "name");
        assertRejected(search("power", sorted), "rjct.sort.invalid", "name");
        ObjectNode paged = predicateItem("r", predicate("poverty_score", "lt", 10));
        ((ObjectNode) paged.path("search_criteria")).putObject("pagination").put("page_size", 0);
        assertRejected(search("power", paged), "rjct.pagination.invalid", "page_size");
        ObjectNode big = predicateItem("r", predicate("poverty_score", "lt", 10));
        ((ObjectNode) big.path("search_criteria")).putObject("pagination").put("page_size", 1_000_000);
        assertRejected(search("power", big), "rjct.pagination.invalid", "1000");
        ObjectNode qt = predicateItem("r", predicate("poverty_score", "lt", 10));
        ((ObjectNode) qt.path("search_criteria")).put("query_type", "graphql");
        assertRejected(search("power", qt), "rjct.search_criteria.invalid", "graphql");
        ObjectNode noTs = predicateItem("r", predicate("poverty_score", "lt", 10));
        noTs.put("timestamp", "yesterday");
        assertRejected(search("power", noTs), "rjct.timestamp.invalid", "timestamp");
    }

    @Test
    void aBatchShouldAnswerEachItemAndRejectADuplicateReference() throws Exception {
        HttpResponse<String> r = post("power", envelope(items(idItem("a", "UIN", Cnic.format(cnic)),
                idItem("b", "UIN", Cnic.format(secondCnic)), idItem("a", "UIN", Cnic.format(cnic)),
                predicateItem("c", predicate("poverty_score", "lt", 5)))));
        DciContract.assertValid(DciContract.SYNC_SEARCH, r.body());
        JsonNode responses = M.readTree(r.body()).path("message").path("search_response");
        assertEquals(4, responses.size());
        assertEquals("succ", responses.get(0).path("status").asText());
        assertEquals("succ", responses.get(1).path("status").asText());
        assertRejected(responses.get(2), "rjct.reference_id.duplicate", "a");
        assertEquals("succ", responses.get(3).path("status").asText());
        long rows = 2 + responses.get(3).path("data").path("reg_records").size();
        assertEquals(Long.toString(rows), r.headers().firstValue("Billed-Rows").orElse(""));
        assertNotEquals("0.00", r.headers().firstValue("Billed-Amount").orElse("0.00"));
    }

    // ---------------------------------------------------------------- Basic: the sample, pseudonyms, coarse filters

    @Test
    void aBasicSearchShouldSeeThePseudonymisedSampleOnly() throws Exception {
        ObjectNode i = predicateItem("r", predicate("poverty_score", "lt", 50));
        ((ObjectNode) i.path("search_criteria")).putObject("pagination").put("page_size", 20);
        JsonNode item = search("basic", i);
        long nativeCount = TestServer.json(TestServer.get(s, "/v1/households/count?pmt_below=50",
                TestServer.key("basic"))).path("count").asLong();
        assertEquals(nativeCount, item.path("pagination").path("total_count").asLong());
        for (JsonNode g : item.path("data").path("reg_records")) {
            assertEquals("PSEUDONYM", g.path("group_identifier").get(0).path("identifier_type").asText());
            assertFalse(g.has("poverty_score"), "Basic sees a band, not the score: " + g);
            for (JsonNode m : g.path("member_list")) {
                assertFalse(m.has("member_identifier") || m.path("demographic_info").has("name"), m.toString());
            }
        }
        assertRejected(search("basic", predicateItem("r", predicate("poverty_score", "lt", 23))),
                "rjct.search_criteria.invalid", "band");
        // nor may it order the sample by the exact score: the order would show what the bands hide
        for (String order : new String[] {"asc", "desc"}) {
            ObjectNode sorted = predicateItem("r", predicate("poverty_score", "lt", 50));
            ((ObjectNode) sorted.path("search_criteria")).putArray("sort").addObject()
                    .put("attribute_name", "poverty_score").put("sort_order", order);
            assertRejected(search("basic", sorted), "rjct.sort.invalid", "band");
        }
        ObjectNode bySize = predicateItem("r", predicate("poverty_score", "lt", 50));
        ((ObjectNode) bySize.path("search_criteria")).putArray("sort").addObject()
                .put("attribute_name", "group_size").put("sort_order", "asc");
        JsonNode sized = search("basic", bySize);
        assertEquals("succ", sized.path("status").asText(), sized.toString());
        assertEquals(nativeCount, sized.path("pagination").path("total_count").asLong());
    }

    // ---------------------------------------------------------------- purposes, logging, billing

    static ObjectNode withPurpose(ObjectNode item) {
        ((ObjectNode) item.path("search_criteria")).putObject("authorize").put("ts", "2026-12-07T04:00:00Z")
                .putObject("purpose").put("text", "benefit eligibility review").put("code", "bisp-review")
                .put("ref_uri", "https://example.org/purposes");
        return item;
    }

    @Test
    void anOrganisationThatMustStateAPurposeShouldBeRefusedWithoutOneLoggedAndNotBilled() throws Exception {
        ObjectNode without = idItem("r", "UIN", Cnic.format(cnic));
        HttpResponse<String> r = post("standard", envelope(items(without)));
        DciContract.assertValid(DciContract.SYNC_SEARCH, r.body());
        assertRejected(M.readTree(r.body()).path("message").path("search_response").get(0),
                "rjct.search_criteria.invalid", "purpose");
        assertEquals("0", r.headers().firstValue("Billed-Rows").orElse(""));
        String refused = r.headers().firstValue("X-Request-Id").orElseThrow();
        HttpResponse<String> ok = post("standard", envelope(items(withPurpose(idItem("r", "UIN",
                Cnic.format(cnic))))));
        assertEquals("1", ok.headers().firstValue("Billed-Rows").orElse(""));
        String served = ok.headers().firstValue("X-Request-Id").orElseThrow();
        JsonNode log = TestServer.json(TestServer.get(s, "/admin/access-log?user=standard-1&operation=lookup",
                TestServer.key("admin")));
        JsonNode refusedRecord = null;
        JsonNode servedRecord = null;
        for (JsonNode entry : log.path("records")) {
            JsonNode rec = entry.path("record");
            refusedRecord = rec.path("id").asText().equals(refused) ? rec : refusedRecord;
            servedRecord = rec.path("id").asText().equals(served) ? rec : servedRecord;
        }
        assertTrue(refusedRecord != null && servedRecord != null, log.toString());
        assertEquals(0, refusedRecord.path("billed_rows").asInt());
        assertFalse(refusedRecord.has("purposes"));
        assertEquals("/registry/sync/search", servedRecord.path("path").asText());
        assertEquals(1, servedRecord.path("billed_rows").asInt());
        JsonNode p = servedRecord.path("purposes").get(0);
        assertEquals("authorize", p.path("kind").asText());
        assertEquals("benefit eligibility review", p.path("text").asText());
        assertEquals("bisp-review", p.path("code").asText());
        assertEquals("https://example.org/purposes", p.path("ref_uri").asText());
        assertEquals("r", p.path("reference_id").asText());
        assertEquals(Cnic.format(cnic), servedRecord.path("cnic").asText());
    }

    // ---------------------------------------------------------------- txn/status

    static ObjectNode txnStatus(String attributeType, JsonNode value) {
        ObjectNode body = M.createObjectNode();
        ObjectNode h = body.putObject("header");
        h.put("version", "1.0.0").put("message_id", "s-1").put("message_ts", "2026-12-07T04:00:00Z")
                .put("action", "txn-status").put("sender_id", "spmis.test").put("total_count", 1);
        ObjectNode m = body.putObject("message");
        m.put("transaction_id", "status-1");
        m.putObject("txnstatus_request").put("reference_id", "q1").put("txn_type", "search")
                .put("attribute_type", attributeType).set("attribute_value", value);
        return body;
    }

    static JsonNode status(String role, ObjectNode body) throws Exception {
        DciContract.assertValid(DciContract.SYNC_TXN_STATUS_REQUEST, body.toString());
        HttpResponse<String> r = TestServer.send(s, "POST", "/registry/sync/txn/status", body.toString(),
                "Content-Type", "application/json", "Authorization", "Bearer demo-" + role + "-key");
        assertEquals(200, r.statusCode(), r.body());
        DciContract.assertValid(DciContract.SYNC_TXN_STATUS, r.body());
        assertEquals("0", r.headers().firstValue("Billed-Rows").orElse(""));
        JsonNode b = M.readTree(r.body());
        assertEquals("txn-on-status", b.path("header").path("action").asText());
        return b.path("message").path("txnstatus_response");
    }

    @Test
    void txnStatusShouldTellEachItemsStatusToItsOwnOrganisationOnly() throws Exception {
        ObjectNode req = envelope(items(idItem("tx-a", "UIN", Cnic.format(cnic)),
                predicateItem("tx-b", predicate("shoe_size", "eq", "9"))));
        ((ObjectNode) req.path("message")).put("transaction_id", "txn-status-test");
        HttpResponse<String> r = post("power", req);
        String correlation = M.readTree(r.body()).path("message").path("correlation_id").asText();
        JsonNode byTxn = status("power", txnStatus("transaction_id", M.valueToTree("txn-status-test")));
        assertEquals("search", byTxn.path("txn_type").asText());
        JsonNode st = byTxn.path("txn_status");
        assertEquals("txn-status-test", st.path("transaction_id").asText());
        assertEquals(correlation, st.path("correlation_id").asText());
        assertEquals(2, st.path("search_response").size());
        assertEquals("succ", st.path("search_response").get(0).path("status").asText());
        assertEquals("rjct", st.path("search_response").get(1).path("status").asText());
        assertEquals("rjct.search_criteria.invalid", st.path("search_response").get(1).path("status_reason_code")
                .asText());
        assertFalse(st.path("search_response").get(0).has("data"), "statuses only, never records");
        JsonNode byCorrelation = status("power", txnStatus("correlation_id", M.valueToTree(correlation)));
        assertEquals(2, byCorrelation.path("txn_status").path("search_response").size());
        JsonNode byRefs = status("power", txnStatus("reference_id_list", M.valueToTree(List.of("tx-b", "nope"))));
        assertEquals(1, byRefs.path("txn_status").path("search_response").size());
        assertEquals("tx-b", byRefs.path("txn_status").path("search_response").get(0).path("reference_id").asText());
        // another organisation learns nothing of it
        JsonNode other = status("standard", txnStatus("transaction_id", M.valueToTree("txn-status-test")));
        assertEquals(0, other.path("txn_status").path("search_response").size());
        HttpResponse<String> bad = TestServer.send(s, "POST", "/registry/sync/txn/status",
                txnStatus("receipt_id", M.valueToTree("x")).toString(), "Authorization", "Bearer demo-power-key");
        assertEquals(400, bad.statusCode());
        DciContract.assertValid(DciContract.HTTP_ERROR, bad.body());
        HttpResponse<String> anon = TestServer.send(s, "POST", "/registry/sync/txn/status",
                txnStatus("transaction_id", M.valueToTree("x")).toString());
        assertEquals(401, anon.statusCode());
        DciContract.assertValid(DciContract.HTTP_ERROR, anon.body());
    }

    // ---------------------------------------------------------------- header and HTTP errors

    @Test
    void aMissingOrUnknownKeyShouldGet401WithTheContractsBody() throws Exception {
        for (String role : new String[] {null, "nobody"}) {
            HttpResponse<String> r = post(role, envelope(items(idItem("r", "UIN", Cnic.format(cnic)))));
            assertEquals(401, r.statusCode());
            DciContract.assertValid(DciContract.HTTP_ERROR, r.body());
            assertEquals("err.request.unauthorized", M.readTree(r.body()).path("errors").get(0).path("code").asText());
        }
        HttpResponse<String> pos = post("pos", envelope(items(idItem("r", "UIN", Cnic.format(cnic)))));
        assertEquals(403, pos.statusCode());
        DciContract.assertValid(DciContract.HTTP_ERROR, pos.body());
        assertEquals("err.request.forbidden", M.readTree(pos.body()).path("errors").get(0).path("code").asText());
    }

    @Test
    void headerProblemsShouldGetTheHeaderCodes() throws Exception {
        String[][] cases = {{"action", "subscribe", "rjct.action.invalid"}, {"version", "0.9", "rjct.version.invalid"},
            {"message_ts", "noon", "rjct.message_ts.invalid"}, {"total_count", "5", "rjct.total_count.invalid"}};
        for (String[] c : cases) {
            ObjectNode body = envelope(items(idItem("r", "UIN", Cnic.format(cnic))));
            ((ObjectNode) body.path("header")).put(c[0], c[1]);
            HttpResponse<String> r = post("power", body);
            assertEquals(400, r.statusCode(), r.body());
            DciContract.assertValid(DciContract.SYNC_SEARCH, r.body());
            JsonNode h = M.readTree(r.body()).path("header");
            assertEquals("rjct", h.path("status").asText());
            assertEquals(c[2], h.path("status_reason_code").asText(), r.body());
            assertEquals("0", r.headers().firstValue("Billed-Rows").orElse(""));
        }
        for (String bad : new String[] {"", "not json", "[]", "{\"header\": 1}", "{\"header\": {}, \"message\": 1}"}) {
            HttpResponse<String> r = TestServer.send(s, "POST", "/registry/sync/search", bad, "Content-Type",
                    "application/json", "Authorization", "Bearer demo-power-key");
            assertEquals(400, r.statusCode(), bad + " -> " + r.body());
            DciContract.assertValid(DciContract.HTTP_ERROR, r.body());
        }
    }

    @Test
    void anOversizedBodyShouldGet413InTheContractsShape() throws Exception {
        String huge = "{\"header\":{},\"message\":{\"pad\":\"" + "x".repeat(300 * 1024) + "\"}}";
        for (String path : new String[] {"/registry/sync/search", "/registry/search", "/registry/sync/txn/status",
            "/registry/txn/status"}) {
            HttpResponse<String> r = TestServer.send(s, "POST", path, huge, "Authorization", "Bearer demo-power-key");
            assertEquals(413, r.statusCode(), path);
            DciContract.assertValid(DciContract.HTTP_ERROR, r.body());
            assertEquals("err.request.bad", M.readTree(r.body()).path("errors").get(0).path("code").asText());
        }
    }

    @Test
    void theRequestsOfTheseTestsShouldThemselvesFollowTheContract() {
        ObjectNode body = envelope(items(withPurpose(idItem("r", "UIN", Cnic.format(cnic))),
                predicateItem("p", predicate("poverty_score", "lt", "5"))));
        // (the contract's attribute_value is oneOf string/integer/number/...: a whole number matches two, so a
        // valid request sends numbers as strings, as the standard's examples do; the registry reads both)
        DciContract.assertValid(DciContract.SYNC_SEARCH_REQUEST, body.toString());
        assertTrue(Files.exists(DciContract.file()));
    }
}

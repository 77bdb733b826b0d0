package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * Subscriptions and notifications with a real callback receiver on loopback: subscribe and unsubscribe are
 * acknowledged at once and answered at on-subscribe / on-unsubscribe; a household changed through the update API
 * is notified at the subscriber's registered origin's /registry/notify, projected by the subscriber's role (a
 * Standard subscriber never gets a CNIC), billed and logged; a cancelled subscription is notified no more; every
 * acknowledgement, callback and notification body is validated against the contract.
 */
class DciSubscribeTest {

    private static CallbackReceiver receiver;
    private static NserServer s;
    private static String origin;
    private static long householdId;
    private static String district;

    @BeforeAll
    static void start() throws Exception {
        receiver = CallbackReceiver.start();
        origin = receiver.origin();
        String yaml = receiver.demoYaml();
        assertTrue(yaml.contains(origin) && yaml.contains("callback_backoff_ms: 20"));
        s = TestServer.start(TestServer.config(yaml));
        JsonNode any = TestServer.json(TestServer.get(s, "/v1/households?limit=1", TestServer.key("power")))
                .path("items").get(0);
        householdId = any.path("household_id").asLong();
        district = any.path("address").path("district").path("code").asText();
    }

    @AfterAll
    static void stop() {
        if (s != null) {
            s.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    // ---------------------------------------------------------------- requests

    static ObjectNode envelope(String action, String senderUri, ObjectNode message) {
        ObjectNode body = DciSyncSearchTest.M.createObjectNode();
        body.put("signature", "");
        body.putObject("header").put("version", "1.0.0").put("message_id", "m-" + action)
                .put("message_ts", "2026-12-07T04:00:00Z").put("action", action).put("sender_id", "spmis.test")
                .put("sender_uri", senderUri).put("receiver_id", "nser").put("total_count", 1)
                .put("is_msg_encrypted", false);
        body.set("message", message);
        return body;
    }

    /** A subscribe request of one item: {@code event} changes of households matching {@code filter}. */
    static ObjectNode subscribe(String senderUri, String ref, String event, String filterType, JsonNode filter,
                                String recordType) {
        ObjectNode m = DciSyncSearchTest.M.createObjectNode();
        m.put("transaction_id", "sub-" + ref);
        ObjectNode item = m.putArray("subscribe_request").addObject();
        item.put("reference_id", ref).put("timestamp", "2026-12-07T04:00:00+05:00");
        ObjectNode c = item.putObject("subscribe_criteria");
        c.put("version", "1.0.0").put("reg_type", "ns:org:RegistryType:Social").put("reg_event_type", event)
                .put("filter_type", filterType).put("notify_record_type", recordType);
        c.set("filter", filter);
        c.putObject("authorize").put("ts", "2026-12-07T04:00:00Z").putObject("purpose")
                .put("text", "enrol changed households").put("code", "enrolment");
        return envelope("subscribe", senderUri, m);
    }

    static ArrayNode inDistrict(String code) {
        ArrayNode preds = DciSyncSearchTest.M.createArrayNode();
        preds.addObject().put("seq_num", 1).set("expression1", DciSyncSearchTest.predicate("district", "eq", code));
        return preds;
    }

    static ObjectNode unsubscribe(String senderUri, String... codes) {
        ObjectNode m = DciSyncSearchTest.M.createObjectNode();
        m.put("transaction_id", "unsub-1").put("timestamp", "2026-12-07T04:00:00Z");
        ArrayNode list = m.putArray("subscription_codes");
        for (String c : codes) {
            list.add(c);
        }
        return envelope("unsubscribe", senderUri, m);
    }

    private static HttpResponse<String> post(String role, String path, JsonNode body) throws Exception {
        return TestServer.send(s, "POST", path, body.toString(), "Content-Type", "application/json",
                "Authorization", "Bearer demo-" + role + "-key");
    }

    /** Posts, expects ACK (valid against the contract), and returns the callback at {@code path}. */
    private static JsonNode acknowledged(String role, String path, JsonNode body, String callbackPath,
                                         String schema) throws Exception {
        int before = receiver.size();
        HttpResponse<String> ack = post(role, path, body);
        assertEquals(202, ack.statusCode(), ack.body());
        DciContract.assertValid(DciContract.ACK, ack.body());
        assertEquals("ACK", TestServer.JSON.readTree(ack.body()).path("message").path("ack_status").asText());
        String[] got = receiver.await(before, r -> r[0].equals(callbackPath));
        DciContract.assertValid(schema, got[1]);
        return TestServer.JSON.readTree(got[1]);
    }


    private static String subscribed(String role, String base, String ref, String event, JsonNode filter)
            throws Exception {
        JsonNode cb = acknowledged(role, "/registry/subscribe", subscribe(origin + base, ref, event, "predicate",
                filter, "Group"), base + "/registry/on-subscribe", DciContract.ON_SUBSCRIBE_REQUEST);
        assertEquals("on-subscribe", cb.path("header").path("action").asText());
        JsonNode item = cb.path("message").path("subscribe_response").get(0);
        assertEquals("succ", item.path("status").asText(), cb.toString());
        assertEquals(ref, item.path("reference_id").asText());
        JsonNode info = item.path("subscriptions").get(0);
        assertEquals("subscribe", info.path("status").asText());
        return info.path("code").asText();
    }

    /** A contact change of the household through the update API (a roster change: NewHouseHoldMember). */
    private static void change(long phone) throws Exception {
        HttpResponse<String> r = TestServer.send(s, "PATCH", "/v1/households/" + householdId + "/members",
                "{\"changes\":[{\"change\":\"contact\",\"phone\":\"" + phone + "\"}]}", "Content-Type",
                "application/json", "Authorization", "Bearer demo-power-key");
        assertEquals(200, r.statusCode(), r.body());
    }

    private static boolean notifies(String[] r, String base, long phone) {
        return r[0].equals(base + "/registry/notify"); // the changes are made one at a time
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aChangedHouseholdShouldBeNotifiedByRoleUntilUnsubscribed() throws Exception {
        String power = subscribed("power", "/p", "p1", "NewHouseHoldMember", inDistrict(district));
        String standard = subscribed("standard", "/s", "s1", "spdci:common:RegistryEventType:NewHouseHoldMember",
                inDistrict(district));
        int before = receiver.size();
        change(923_001_234_567L);
        String[] p = receiver.await(before, r -> notifies(r, "/p", 923_001_234_567L));
        String[] st = receiver.await(before, r -> notifies(r, "/s", 923_001_234_567L));
        for (String[] got : new String[][] {p, st}) {
            DciContract.assertValid(DciContract.NOTIFY_REQUEST, got[1]);
            JsonNode n = TestServer.JSON.readTree(got[1]);
            assertEquals("notify", n.path("header").path("action").asText());
            JsonNode event = n.path("message").path("notify_event").get(0);
            assertEquals("NewHouseHoldMember", event.path("data").path("reg_event_type").asText());
            assertEquals("Group", event.path("data").path("reg_record_type").asText());
            assertEquals(Long.toString(householdId), event.path("data").path("reg_records")
                    .path("group_identifier").get(0).path("identifier_value").asText(), event.toString());
        }
        JsonNode powerEvent = TestServer.JSON.readTree(p[1]).path("message").path("notify_event").get(0);
        assertEquals(power, powerEvent.path("subscription_code").asText());
        assertEquals("p1", powerEvent.path("reference_id").asText());
        assertTrue(p[1].contains("member_identifier"), "Power sees the members' CNICs: " + p[1]);
        assertFalse(st[1].contains("member_identifier"), "Standard never gets a CNIC: " + st[1]);
        assertFalse(st[1].contains("latitude"), "Standard never gets coordinates: " + st[1]);
        JsonNode billed = DciAsyncTest.accessRecord(s, "power-1", "/p/registry/notify");
        assertEquals(1, billed.path("billed_rows").asInt(), billed.toString());
        assertEquals(200, billed.path("status").asInt());

        JsonNode off = acknowledged("power", "/registry/unsubscribe", unsubscribe(origin + "/p", power),
                "/p/registry/on-unsubscribe", DciContract.ON_UNSUBSCRIBE_REQUEST).path("message");
        assertEquals("succ", off.path("status").asText(), off.toString());
        assertEquals(power, off.path("subscription_status").get(0).path("code").asText());
        assertEquals("unsubscribe", off.path("subscription_status").get(0).path("status").asText());
        int after = receiver.size();
        change(923_001_234_568L);
        receiver.await(after, r -> notifies(r, "/s", 923_001_234_568L)); // the change was notified to Standard...
        Thread.sleep(300);
        assertTrue(receiver.received().subList(after, receiver.size()).stream().noneMatch(r -> r[0].startsWith("/p/")),
                "...and not to the cancelled subscription"); // each subscription's queue is its own

        JsonNode again = acknowledged("power", "/registry/unsubscribe", unsubscribe(origin + "/p", power, "nope"),
                "/p/registry/on-unsubscribe", DciContract.ON_UNSUBSCRIBE_REQUEST).path("message");
        assertEquals("rjct", again.path("status").asText());
        assertEquals("rjct.subscription_code.invalid", again.path("status_reason_code").asText());
        assertTrue(again.path("status_reason_message").asText().contains("nope"));
        // another organisation cannot cancel Standard's subscription: it does not know the code
        JsonNode other = acknowledged("power", "/registry/unsubscribe", unsubscribe(origin + "/p", standard),
                "/p/registry/on-unsubscribe", DciContract.ON_UNSUBSCRIBE_REQUEST).path("message");
        assertEquals("rjct.subscription_code.invalid", other.path("status_reason_code").asText());
        JsonNode cancelled = acknowledged("standard", "/registry/unsubscribe", unsubscribe(origin + "/s", standard),
                "/s/registry/on-unsubscribe", DciContract.ON_UNSUBSCRIBE_REQUEST).path("message");
        assertEquals("succ", cancelled.path("status").asText());
        JsonNode twice = acknowledged("standard", "/registry/unsubscribe", unsubscribe(origin + "/s", standard),
                "/s/registry/on-unsubscribe", DciContract.ON_UNSUBSCRIBE_REQUEST).path("message");
        assertEquals("rjct.event.already_unsubscribed", twice.path("status_reason_code").asText());
    }

    /** Issue 26's rule for callbacks: a subscriber whose agreement is suspended is not notified, billed nothing. */
    @Test
    void aSuspendedOrganisationShouldNotBeNotified() throws Exception {
        String code = subscribed("standard", "/sx", "x1", "NewHouseHoldMember", inDistrict(district));
        HttpResponse<String> suspended = TestServer.send(s, "POST",
                "/admin/agreements/DSA-2026-002/suspend?reason=spot+check", "", "Authorization",
                "Bearer demo-admin-key");
        assertEquals(200, suspended.statusCode(), suspended.body());
        try {
            int before = receiver.size();
            change(923_001_234_569L);
            JsonNode record = DciAsyncTest.accessRecord(s, "standard-1", "/sx/registry/notify");
            assertEquals("agreement-no-longer-active", record.path("reason").asText(), record.toString());
            assertEquals(0, record.path("billed_rows").asInt(), record.toString());
            assertTrue(receiver.received().subList(before, receiver.size()).stream().noneMatch(r -> r[0].startsWith("/sx/")),
                    "no notification for a suspended organisation");
        } finally {
            HttpResponse<String> resumed = TestServer.send(s, "POST",
                    "/admin/agreements/DSA-2026-002/resume?reason=remedied", "", "Authorization",
                    "Bearer demo-admin-key");
            assertEquals(200, resumed.statusCode(), resumed.body());
        }
        JsonNode off = acknowledged("standard", "/registry/unsubscribe", unsubscribe(origin + "/sx", code),
                "/sx/registry/on-unsubscribe", DciContract.ON_UNSUBSCRIBE_REQUEST).path("message");
        assertEquals("succ", off.path("status").asText(), off.toString());
    }

    @Test
    void badCriteriaShouldBeRejectedPerItem() throws Exception {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"Birth", "predicate", "rjct.notify_types.invalid", "reg_event_type"});
        cases.add(new String[] {"REGISTER", "shoe_size", "rjct.notify_details.invalid", "shoe_size"});
        for (String[] c : cases) {
            JsonNode filter = c[1].equals("predicate") ? inDistrict(district) : DciSyncSearchTest.M.createArrayNode()
                    .add(DciSyncSearchTest.M.createObjectNode().put("seq_num", 1).set("expression1",
                            DciSyncSearchTest.predicate(c[1], "eq", "9")));
            JsonNode cb = acknowledged("power", "/registry/subscribe", subscribe(origin + "/bad", "b1", c[0],
                    "predicate", filter, "Group"), "/bad/registry/on-subscribe", DciContract.ON_SUBSCRIBE_REQUEST);
            JsonNode item = cb.path("message").path("subscribe_response").get(0);
            assertEquals("rjct", item.path("status").asText(), cb.toString());
            assertEquals(c[2], item.path("status_reason_code").asText(), cb.toString());
            assertTrue(item.path("status_reason_message").asText().contains(c[3]), cb.toString());
        }
        // a frequency (the contract's cron schedule and its window): not supported, refused with the contract's code
        ObjectNode scheduled = subscribe(origin + "/freq", "f1", "REGISTER", "predicate", inDistrict(district),
                "Group");
        ((ObjectNode) scheduled.path("message").path("subscribe_request").get(0).path("subscribe_criteria"))
                .putObject("frequency").put("start_time", "2026-12-07T00:00:00Z").put("end_time",
                        "2027-12-07T00:00:00Z").put("frequency", "0 0 0 5,15 * ? *");
        JsonNode refused = acknowledged("power", "/registry/subscribe", scheduled, "/freq/registry/on-subscribe",
                DciContract.ON_SUBSCRIBE_REQUEST);
        JsonNode f = refused.path("message").path("subscribe_response").get(0);
        assertEquals("rjct", f.path("status").asText(), refused.toString());
        assertEquals("rjct.notify_details.invalid", f.path("status_reason_code").asText(), refused.toString());
        assertTrue(f.path("status_reason_message").asText().contains("frequency"), refused.toString());
        assertTrue(f.path("subscriptions").isMissingNode(), refused.toString());
        // the same subscription twice: the second is refused, naming the first
        String code = subscribed("power", "/twice", "t1", "REGISTER", inDistrict(district));
        JsonNode cb = acknowledged("power", "/registry/subscribe", subscribe(origin + "/twice", "t1", "REGISTER",
                "predicate", inDistrict(district), "Group"), "/twice/registry/on-subscribe",
                DciContract.ON_SUBSCRIBE_REQUEST);
        JsonNode item = cb.path("message").path("subscribe_response").get(0);
        assertEquals("rjct.event.already_subscribed", item.path("status_reason_code").asText(), cb.toString());
        assertTrue(item.path("status_reason_message").asText().contains(code));
    }

    @Test
    void requestProblemsShouldGetErrOrHttpErrors() throws Exception {
        ObjectNode good = subscribe(origin + "/e", "e1", "REGISTER", "predicate", inDistrict(district), "Group");
        DciContract.assertValid(DciContract.SUBSCRIBE_REQUEST, good.toString());
        DciContract.assertValid(DciContract.UNSUBSCRIBE_REQUEST, unsubscribe(origin, "x").toString());
        HttpResponse<String> basic = post("basic", "/registry/subscribe", good);
        assertEquals(403, basic.statusCode(), "Basic sees a pseudonymised sample; a notification names households");
        DciContract.assertValid(DciContract.HTTP_ERROR, basic.body());
        HttpResponse<String> anon = TestServer.send(s, "POST", "/registry/subscribe", good.toString());
        assertEquals(401, anon.statusCode());
        DciContract.assertValid(DciContract.HTTP_ERROR, anon.body());
        for (JsonNode bad : new JsonNode[] {
            subscribe("http://169.254.169.254/x", "e1", "REGISTER", "predicate", inDistrict(district), "Group"),
            unsubscribe("http://127.0.0.1:1/x", "x")}) {
            String path = bad.path("header").path("action").asText().equals("subscribe") ? "/registry/subscribe"
                    : "/registry/unsubscribe";
            HttpResponse<String> r = post("power", path, bad);
            assertEquals(400, r.statusCode(), r.body());
            DciContract.assertValid(DciContract.ACK, r.body());
            assertEquals("err.sender_uri.invalid", TestServer.JSON.readTree(r.body()).path("message").path("error")
                    .path("code").asText());
        }
        ObjectNode noItems = good.deepCopy();
        ((ObjectNode) noItems.path("message")).putArray("subscribe_request");
        ObjectNode wrongAction = good.deepCopy();
        ((ObjectNode) wrongAction.path("header")).put("action", "search");
        ObjectNode noCodes = unsubscribe(origin + "/e");
        for (ObjectNode bad : new ObjectNode[] {noItems, wrongAction, noCodes}) {
            String path = bad == noCodes ? "/registry/unsubscribe" : "/registry/subscribe";
            HttpResponse<String> r = post("power", path, bad);
            assertEquals(400, r.statusCode(), r.body());
            DciContract.assertValid(DciContract.ACK, r.body());
            assertEquals("ERR", TestServer.JSON.readTree(r.body()).path("message").path("ack_status").asText());
        }
        assertNotNull(origin);
    }
}

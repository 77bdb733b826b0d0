package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * Throws broken DCI messages at every DCI path: garbage bodies, and valid messages with a random part replaced by
 * a random value (null, numbers, long strings, deep nesting, wrong types) or removed. Never a 500, never a hang
 * (every request has a timeout), the server keeps serving, and every answer takes one of the contract's shapes
 * (validated against the contract's schema), whatever the key.
 */
class DciFuzzTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Each DCI path, with the schema its answers follow (besides HttpErrorResponse). */
    static final String[][] PATHS = {{"/registry/sync/search", DciContract.SYNC_SEARCH},
        {"/registry/sync/txn/status", DciContract.SYNC_TXN_STATUS}, {"/registry/search", DciContract.ACK},
        {"/registry/txn/status", DciContract.ACK}, {"/registry/subscribe", DciContract.ACK},
        {"/registry/unsubscribe", DciContract.ACK}};

    @Test
    void brokenMessagesShouldNeverGet500AndAlwaysGetAContractShape() throws Exception {
        NserServer s = TestServer.demo();
        long cnic = TestServer.headCnics(3, 1, 1).get(0);
        SplittableRandom rnd = new SplittableRandom(32);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (String[] path : PATHS) {
            for (int i = 0; i < 150; i++) {
                JsonNode valid = path[0].endsWith("status") ? DciSyncSearchTest.txnStatus(
                        List.of("transaction_id", "correlation_id", "reference_id_list").get(rnd.nextInt(3)),
                        rnd.nextBoolean() ? F.textNode("t-1") : M.valueToTree(List.of("r", "x")))
                        : path[0].endsWith("/subscribe") ? DciSubscribeTest.subscribe("http://127.0.0.1:9000/spmis",
                                "r", rnd.nextBoolean() ? "REGISTER" : "NewHouseHoldMember", "predicate",
                                DciSubscribeTest.inDistrict(Integer.toString(rnd.nextInt(200))), "Group")
                        : path[0].endsWith("/unsubscribe") ? DciSubscribeTest.unsubscribe(
                                "http://127.0.0.1:9000/spmis", "code-" + rnd.nextInt(3))
                        : valid(cnic, rnd);
                if (path[0].startsWith("/registry/s") || path[0].startsWith("/registry/t")) { // async: a callback
                    ((ObjectNode) valid.path("header")).put("sender_uri", "http://127.0.0.1:9000/spmis");
                }
                String body = i % 10 == 0 ? garbage(rnd) : mutate(valid, rnd).toString();
                String[] key = switch (rnd.nextInt(8)) {
                    case 0 -> new String[] {};
                    case 1 -> new String[] {"Authorization", "Bearer nope"};
                    case 2 -> TestServer.key("basic");
                    case 3 -> TestServer.key("pos");
                    case 4 -> TestServer.key("standard");
                    default -> TestServer.key("power");
                };
                String[] headers = new String[key.length + 2];
                headers[0] = "Content-Type";
                headers[1] = "application/json";
                System.arraycopy(key, 0, headers, 2, key.length);
                HttpResponse<String> r = TestServer.send(s, "POST", path[0], body, headers);
                sent++;
                String where = path[0] + " " + r.statusCode() + " <- " + abbreviate(body) + " -> "
                        + abbreviate(r.body());
                if (r.statusCode() >= 500) {
                    failures.add(where);
                    continue;
                }
                if (!r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                    failures.add("not application/json: " + where);
                    continue;
                }
                JsonNode answer = M.readTree(r.body());
                List<String> errors = answer.has("errors") ? DciContract.errors(DciContract.HTTP_ERROR, r.body())
                        : DciContract.errors(path[1], r.body());
                if (!errors.isEmpty() || r.statusCode() == 200 && answer.has("errors")) {
                    failures.add(errors + " " + where);
                }
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(5, failures.size())), failures.size() + " of " + sent);
        assertEquals(200, TestServer.get(s, "/health/live").statusCode());
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** A valid message of one of the query types. */
    static ObjectNode valid(long cnic, SplittableRandom rnd) {
        ObjectNode item = switch (rnd.nextInt(3)) {
            case 0 -> DciSyncSearchTest.idItem("r", "UIN", Cnic.format(cnic));
            case 1 -> DciSyncSearchTest.predicateItem("r", DciSyncSearchTest.predicate("poverty_score", "lt", "30"),
                    DciSyncSearchTest.predicate("group_size", "ge", "3"));
            default -> {
                ObjectNode expr = M.createObjectNode();
                expr.putObject("value").putObject("expression").putObject("query").putArray("$and").addObject()
                        .putObject("poverty_score").put("$lt", 10);
                yield DciSyncSearchTest.item("r", "expression", expr);
            }
        };
        // small pages: the answers are validated, and a page of 100 Power households is a large document
        ((ObjectNode) item.path("search_criteria")).putObject("pagination").put("page_size", 3);
        return DciSyncSearchTest.envelope(DciSyncSearchTest.items(DciSyncSearchTest.withPurpose(item)));
    }

    /** One random part of {@code n} replaced by a random value, or removed. */
    static JsonNode mutate(JsonNode n, SplittableRandom rnd) {
        List<JsonNode> containers = new ArrayList<>();
        collect(n, containers);
        JsonNode c = containers.get(rnd.nextInt(containers.size()));
        if (c instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(rnd.nextInt(names.size()));
            if (rnd.nextInt(4) == 0) {
                o.remove(name);
            } else {
                o.set(name, randomValue(rnd, 0));
            }
        } else if (c instanceof ArrayNode a && a.size() > 0) {
            a.set(rnd.nextInt(a.size()), randomValue(rnd, 0));
        }
        return rnd.nextInt(5) == 0 ? mutate(n, rnd) : n;
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            n.forEach(child -> collect(child, out));
        }
    }

    static JsonNode randomValue(SplittableRandom rnd, int depth) {
        return switch (rnd.nextInt(depth > 3 ? 9 : 12)) {
            case 0 -> F.nullNode();
            case 1 -> F.numberNode(rnd.nextLong());
            case 2 -> F.numberNode(-1);
            case 3 -> F.numberNode(1e300);
            case 4 -> F.textNode("");
            case 5 -> F.textNode("x".repeat(rnd.nextInt(2_000)));
            case 6 -> F.textNode("\u0000\u202e$lt\"'");
            case 7 -> F.booleanNode(rnd.nextBoolean());
            case 8 -> F.textNode(List.of("eq", "lt", "in", "$and", "UIN", "MOBILE", "Member", "asc", "poverty_score",
                    "2026-12-07T04:00:00Z", "search", "1.0.0").get(rnd.nextInt(12)));
            case 9 -> {
                ArrayNode a = F.arrayNode();
                for (int i = rnd.nextInt(4); i > 0; i--) {
                    a.add(randomValue(rnd, depth + 1));
                }
                yield a;
            }
            case 10 -> {
                ObjectNode o = F.objectNode();
                for (int i = rnd.nextInt(4); i > 0; i--) {
                    o.set(List.of("$and", "$or", "$not", "poverty_score", "attribute_name", "operator", "type",
                            "value", "expression").get(rnd.nextInt(9)), randomValue(rnd, depth + 1));
                }
                yield o;
            }
            default -> {
                ObjectNode o = F.objectNode();
                o.set("nested", randomValue(rnd, depth + 1));
                yield o;
            }
        };
    }

    private static String garbage(SplittableRandom rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> "";
            case 1 -> "{\"header\": " + "[".repeat(2_000) + "]".repeat(2_000) + "}";
            case 2 -> "{\"header\": {\"a\": 1, \"a\": 2}, \"message\": {}}";
            case 3 -> "\u0000\u0001\u0002";
            case 4 -> "[1, 2, 3]";
            default -> "{\"header\": {}, \"message\": {\"search_request\": [" + "{},".repeat(2_000) + "{}]}}";
        };
    }
}

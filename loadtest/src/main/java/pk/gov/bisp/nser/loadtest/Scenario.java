package pk.gov.bisp.nser.loadtest;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.SplittableRandom;

/** What one user type sends. {@link #next} builds the next request from the id pool. */
public enum Scenario {
    /**
     * A citizen on the public page's endpoint: many citizens behind the trusted proxy, each request from a random
     * address of 198.18.0.0/15 (RFC 2544's benchmarking range, 131,072 addresses), so that at the rates this
     * machine reaches an address rarely exceeds the fair-usage limit (30 a minute, burst 10, in the demo).
     */
    PUBLIC_STATUS("public-status", null),
    /** A point of sale checking one CNIC for the subsidy. */
    POS_ELIGIBILITY("pos-eligibility", "demo-pos-key"),
    /** A point of sale checking a batch of 100 CNICs. */
    POS_BATCH("pos-batch", "demo-pos-key"),
    /** A partner programme's real-time CNIC lookup (Power role). */
    PARTNER_LOOKUP("partner-lookup", "demo-power-key"),
    /**
     * The same lookup through the DCI Social Registry API: {@code POST /registry/sync/search} with one
     * {@code idtype-value} UIN criterion (Power role), answered with the household as a DCI Group.
     */
    DCI_SEARCH("dci-search", "demo-power-key"),
    /** The first page (100 rows) of "PMT 20-32 AND a random district AND a disabled member". */
    LIST_PAGE("list-page", "demo-power-key"),
    /** The count for the same filter as {@link #LIST_PAGE}. */
    LIST_COUNT("list-count", "demo-power-key"),
    /** Streaming every household of one province ({@code --province}) as NDJSON. */
    EXPORT_NDJSON("export-ndjson", "demo-power-key"),
    /**
     * One request, {@code GET --path} (e.g. the PostgreSQL comparison's exact query); a {@code {cnic}} in the path
     * becomes a CNIC of the pool for each request.
     */
    GET("get", "demo-power-key"),
    /**
     * A partner's live roster update ({@code PATCH /v1/households/{id}/members}, Power role, no If-Match) of a
     * random household: a new phone number, or member 0's disability set to visual or back to none (which moves
     * the disability bitmaps and re-scores the household).
     */
    UPDATES("updates", "demo-power-key"),
    /** A point of sale checking a batch of 50 CNICs (national-day's eligibility batches). */
    POS_BATCH_50("pos-batch-50", "demo-pos-key"),
    /** A partner's real-time CNIC lookup, half with the Power key and half with the Standard one. */
    PARTNER_LOOKUP_MIX("partner-lookup-mix", null),
    /** Half {@link #LIST_PAGE}, half {@link #LIST_COUNT} (national-day's list pages and counts). */
    LIST_MIX("list-mix", "demo-power-key"),
    /**
     * A statistics table (Power): {@code GET /v1/stats?group_by=district} (every district of the country a row)
     * with one of {@link #STATS_MEASURES}.
     */
    STATS_TABLE("stats-table", "demo-power-key"),
    /** A realistic mix: 55% pos-eligibility, 24% partner-lookup, 15% public-status, 5% pos-batch, 1% updates. */
    BLEND("blend", null),
    /** The baseline: {@code GET /health/live}, with the compared scenario's Authorization header if any. */
    HEALTH("health", null);

    /** The measures stats-table asks for, one drawn per request. */
    static final List<String> STATS_MEASURES = List.of("disabled_member:yes", "house_type:kacha", "pmt_below:32",
            "literacy", "out_of_school:female");

    /** One request to send. */
    public record Request(HttpMethod method, String path, String body, String key, String forwardedFor) {
    }

    private final String key;
    private final String defaultKey;

    Scenario(String key, String defaultKey) {
        this.key = key;
        this.defaultKey = defaultKey;
    }

    public String key() {
        return key;
    }

    public static Scenario ofKey(String key) {
        for (Scenario s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + key + "'; valid: public-status, pos-eligibility, "
                + "pos-batch, pos-batch-50, partner-lookup, partner-lookup-mix, dci-search, list-page, list-count, list-mix, "
                + "stats-table, export-ndjson, get, updates, blend, national-day (the whole mix: --scale)");
    }

    /** The API key the scenario sends by default (null for public ones and the mixes that pick one per request). */
    public String defaultKey() {
        return defaultKey;
    }

    /** Whether the scenario's requests name households by id ({@link IdPool#household} must be loaded). */
    public boolean needsHouseholds() {
        return this == UPDATES || this == BLEND;
    }

    /** Whether the scenario's requests filter by district ({@link IdPool#district} must be loaded). */
    public boolean needsDistricts() {
        return this == LIST_PAGE || this == LIST_COUNT || this == LIST_MIX;
    }

    /** The filter of list-page and list-count, in a random district. */
    public static String listFilter(IdPool ids, SplittableRandom rnd) {
        return "pmt_min=20&pmt_max=32&disabled_member=yes&district=" + ids.district(rnd);
    }

    /** The province export-ndjson streams. */
    static int exportProvince = 6;
    /** The path the get scenario requests. */
    static String fixedPath = "/health/live";
    /** In {@link #fixedPath}: replaced by a CNIC of the pool in each request. */
    static final String CNIC_PLACEHOLDER = "{cnic}";

    /** The next request; {@code key} overrides the scenario's demo key when not null. */
    public Request next(IdPool ids, SplittableRandom rnd, String keyOverride) {
        Scenario s = this;
        if (this == BLEND) {
            int r = rnd.nextInt(100);
            s = r < 55 ? POS_ELIGIBILITY : r < 79 ? PARTNER_LOOKUP : r < 94 ? PUBLIC_STATUS : r < 99 ? POS_BATCH
                    : UPDATES;
        } else if (this == LIST_MIX) {
            s = rnd.nextBoolean() ? LIST_PAGE : LIST_COUNT;
        }
        String k = keyOverride != null ? keyOverride : s.defaultKey;
        if (s == PARTNER_LOOKUP_MIX) {
            s = PARTNER_LOOKUP;
            k = keyOverride != null ? keyOverride : rnd.nextBoolean() ? "demo-power-key" : "demo-standard-key";
        }
        return switch (s) {
            case PUBLIC_STATUS -> new Request(HttpMethod.GET, "/public/v1/status/" + ids.next(rnd), null, null,
                    "198." + (18 + rnd.nextInt(2)) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256));
            case POS_ELIGIBILITY -> new Request(HttpMethod.GET, "/v1/eligibility/usc-subsidy/" + ids.next(rnd), null,
                    k, null);
            case POS_BATCH -> new Request(HttpMethod.POST, "/v1/eligibility/usc-subsidy", batch(ids, rnd, 100), k,
                    null);
            case POS_BATCH_50 -> new Request(HttpMethod.POST, "/v1/eligibility/usc-subsidy", batch(ids, rnd, 50), k,
                    null);
            case PARTNER_LOOKUP -> new Request(HttpMethod.GET, "/v1/households/by-cnic/" + ids.next(rnd), null, k,
                    null);
            case DCI_SEARCH -> new Request(HttpMethod.POST, "/registry/sync/search", dciSearch(ids.next(rnd), rnd),
                    k, null);
            case LIST_PAGE -> new Request(HttpMethod.GET, "/v1/households?limit=100&" + listFilter(ids, rnd), null, k,
                    null);
            case LIST_COUNT -> new Request(HttpMethod.GET, "/v1/households/count?" + listFilter(ids, rnd), null, k,
                    null);
            case EXPORT_NDJSON -> new Request(HttpMethod.GET, "/v1/households?format=ndjson&province="
                    + exportProvince, null, k, null);
            case GET -> new Request(HttpMethod.GET, fixedPath.contains(CNIC_PLACEHOLDER)
                    ? fixedPath.replace(CNIC_PLACEHOLDER, ids.next(rnd)) : fixedPath, null, k, null);
            case UPDATES -> new Request(HttpMethod.PATCH, "/v1/households/" + ids.household(rnd) + "/members",
                    rosterChange(rnd), k, null);
            case STATS_TABLE -> new Request(HttpMethod.GET, "/v1/stats?group_by=district&measure="
                    + STATS_MEASURES.get(rnd.nextInt(STATS_MEASURES.size())), null, k, null);
            case HEALTH -> new Request(HttpMethod.GET, "/health/live", null, keyOverride, null);
            case BLEND, LIST_MIX, PARTNER_LOOKUP_MIX -> throw new IllegalStateException("a mix picks another scenario");
        };
    }

    /** Half new phone numbers, a quarter member 0 becoming visually impaired, a quarter back to none. */
    static String rosterChange(SplittableRandom rnd) {
        int r = rnd.nextInt(4);
        if (r < 2) {
            return "{\"changes\":[{\"change\":\"contact\",\"phone\":\"9230" + (10_000_000 + rnd.nextInt(90_000_000))
                    + "\"}]}";
        }
        return "{\"changes\":[{\"change\":\"disability\",\"member\":0,\"disability\":\""
                + (r == 2 ? "visual" : "none") + "\"}]}";
    }

    /** A DCI sync search message asking for the household of {@code cnic} by UIN. */
    static String dciSearch(String cnic, SplittableRandom rnd) {
        long id = rnd.nextLong() & Long.MAX_VALUE;
        return "{\"signature\":\"\",\"header\":{\"version\":\"1.0.0\",\"message_id\":\"" + id + "\",\"message_ts\":"
                + "\"2026-12-07T04:00:00Z\",\"action\":\"search\",\"sender_id\":\"loadtest\",\"total_count\":1},"
                + "\"message\":{\"transaction_id\":\"" + id + "\",\"search_request\":[{\"reference_id\":\"1\","
                + "\"timestamp\":\"2026-12-07T04:00:00Z\",\"search_criteria\":{\"query_type\":\"idtype-value\","
                + "\"response_entity\":\"Group\",\"query\":{\"type\":\"UIN\",\"value\":\"" + cnic + "\"}}}]}}";
    }

    private static String batch(IdPool ids, SplittableRandom rnd, int size) {
        StringBuilder b = new StringBuilder(20 * size).append("{\"cnics\":[");
        for (int i = 0; i < size; i++) {
            b.append(i == 0 ? "\"" : ",\"").append(ids.next(rnd)).append('"');
        }
        return b.append("]}").toString();
    }
}

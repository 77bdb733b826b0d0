package pk.gov.bisp.nser.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** What a scenario needs to know about the registry behind the server, asked of the server itself. */
final class ServerFacts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerFacts() {
    }

    /** Every district code, from the public statistics endpoint. */
    static int[] districts(URI target) throws IOException, InterruptedException {
        JsonNode groups = get(target, "/v1/stats?group_by=district", null).get("groups");
        int[] out = new int[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = groups.get(i).get("code").asInt();
        }
        return out;
    }

    /** The number of households matching {@code filter}. */
    static long count(URI target, String key, String filter) throws IOException, InterruptedException {
        return get(target, "/v1/households/count?" + filter, key).get("count").asLong();
    }

    /**
     * The distinct household ids of the households {@code cnics} belong to, in the order first met, by looking
     * each CNIC up ({@code GET /v1/households/by-cnic}, 32 at a time).
     */
    static long[] householdIds(URI target, String key, List<String> cnics) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        Set<Long> ids = new LinkedHashSet<>();
        for (int from = 0; from < cnics.size(); from += 32) {
            List<CompletableFuture<HttpResponse<String>>> window = new ArrayList<>();
            for (String cnic : cnics.subList(from, Math.min(from + 32, cnics.size()))) {
                window.add(client.sendAsync(request(target, "/v1/households/by-cnic/" + cnic, key),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : window) {
                ids.add(body(f.join()).get("household_id").asLong());
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private static JsonNode get(URI target, String path, String key) throws IOException, InterruptedException {
        return body(HttpClient.newHttpClient().send(request(target, path, key), HttpResponse.BodyHandlers.ofString()));
    }

    private static HttpRequest request(URI target, String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(60));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b.build();
    }

    private static JsonNode body(HttpResponse<String> r) throws IOException {
        if (r.statusCode() != 200) {
            throw new IOException("GET " + r.uri().getPath() + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}

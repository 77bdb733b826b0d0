package pk.gov.bisp.nser.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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

    private static JsonNode get(URI target, String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(60));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}

package pk.gov.bisp.nser.server.update;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.ServerProcess;
import pk.gov.bisp.nser.server.TestServer;

/** The kill -9 tests' clients: each sends phone changes to its households in turn, and remembers what was acked. */
final class ContactUpdates {

    /** What a client sent to one household: the phone of each version (index = version - 2). */
    record Sent(long householdId, List<Long> phones, AtomicInteger acked) {
    }

    private ContactUpdates() {
    }

    /** {@code n} distinct households of the test snapshot, from ordinal {@code first} on, every {@code step}th. */
    static List<Sent> households(int n, int first, int step) throws Exception {
        List<Sent> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            for (int o = first; out.size() < n; o += step) {
                s.read(o, r);
                if (seen.add(r.householdId())) {
                    out.add(new Sent(r.householdId(), new ArrayList<>(), new AtomicInteger()));
                }
            }
        }
        return out;
    }

    /** Sends contact changes to its households in turn; each household's updates one after another. */
    static void updateUntilStopped(HttpClient http, ServerProcess server, List<Sent> mine, AtomicBoolean stop,
                                   AtomicInteger acks, Queue<String> refused) {
        for (int round = 0; !stop.get(); round++) {
            for (Sent x : mine) {
                if (stop.get()) {
                    return;
                }
                long phone = 923_000_000_000L + x.householdId() % 100_000 * 1_000 + round;
                x.phones().add(phone);
                String body = "{\"changes\":[{\"change\":\"contact\",\"phone\":\"" + phone + "\"}]}";
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                    server.base.resolve("/v1/households/" + x.householdId() + "/members"))
                            .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                            .header("Authorization", "Bearer demo-power-key").header("Content-Type",
                                    "application/json").timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        x.acked().set(x.phones().size());
                        acks.incrementAndGet();
                    } else {
                        refused.add(r.statusCode() + " " + r.body());
                        return;
                    }
                } catch (java.io.IOException | InterruptedException e) {
                    // killed, or no answer from a live server: either way this update may or may not be applied,
                    // so this client stops, leaving it its household's last (applied or acknowledged-1 is right)
                    return;
                }
            }
        }
    }
}

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The peers' data for {@code loadtest/compare-peers.sh}, run as a source file ({@code java PeerData.java ...}, no
 * build): fetches the Power lookup's JSON of every CNIC in IDS from our server, exactly the bytes our clients get,
 * and writes them numbered 0..N-1 for the peers: OUT/redis.resp (SET h:%012d JSON, Redis's protocol for
 * {@code redis-cli --pipe}, the key form redis-benchmark's {@code -r} draws), OUT/pg.csv (i,json for PostgreSQL's
 * COPY) and OUT/peer-ids.txt (the CNICs found, in the same order, for our load generator). Prints N.
 * <p>Usage: {@code java PeerData.java BASE_URL KEY IDS OUT}
 */
public final class PeerData {
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: java PeerData.java BASE_URL KEY IDS OUT");
            System.exit(2);
        }
        URI base = URI.create(args[0]);
        String key = args[1];
        List<String> ids = Files.readAllLines(Path.of(args[2]));
        Path out = Path.of(args[3]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int n = 0;
        try (OutputStream resp = new BufferedOutputStream(Files.newOutputStream(out.resolve("redis.resp")));
             PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("pg.csv")));
             PrintWriter found = new PrintWriter(Files.newBufferedWriter(out.resolve("peer-ids.txt")))) {
            for (String cnic : ids) {
                cnic = cnic.strip();
                if (cnic.isEmpty()) {
                    continue;
                }
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/households/by-cnic/" + cnic))
                        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    continue;
                }
                byte[] json = r.body();
                byte[] k = String.format("h:%012d", n).getBytes(StandardCharsets.US_ASCII);
                resp.write(("*3\r\n$3\r\nSET\r\n$" + k.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                resp.write(k);
                resp.write(("\r\n$" + json.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                resp.write(json);
                resp.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                csv.print(n);
                csv.print(",\"");
                csv.print(new String(json, StandardCharsets.UTF_8).replace("\"", "\"\""));
                csv.print("\"\n");
                found.println(cnic);
                n++;
            }
        }
        System.out.println(n);
    }
}

package pk.gov.bisp.nser.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.cluster.DevKafka;
import pk.gov.bisp.nser.cluster.DevKafkaMain;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * Issue 27: the update log on three brokers (each a KRaft controller too; the topic on three replicas, two in
 * sync required). With one broker gone, updates go on. (With every broker gone: {@code ReplicasTest}.)
 */
class ThreeBrokersTest {

    private static final String[] POWER = TestServer.key("power");

    private static HttpResponse<String> update(NserServer s, long id, String phone) throws Exception {
        return TestServer.send(s, "PATCH", "/v1/households/" + id + "/members", "{\"changes\":[{\"change\":"
                + "\"contact\",\"phone\":\"" + phone + "\"}]}", POWER[0], POWER[1], "Content-Type",
                "application/json");
    }

    @Test
    void updatesGoOnWithOneBrokerOfThreeGone() throws Exception {
        DevKafkaMain.quiet();
        try (DevKafka kafka = DevKafka.start(Files.createTempDirectory("nser-three-brokers"), 0, 3)) {
            NserServer r = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "r1"));
            try {
                long cnic = TestServer.headCnics(2_003, 1, 1).get(0);
                String path = "/v1/households/by-cnic/" + Cnic.format(cnic);
                long id = TestServer.json(TestServer.get(r, path, POWER)).get("household_id").asLong();
                assertEquals(200, update(r, id, "923001300001").statusCode());
                kafka.stopNode(3);
                HttpResponse<String> oneGone = update(r, id, "923001300002");
                assertEquals(200, oneGone.statusCode(), oneGone.body());
                HttpResponse<String> read = TestServer.get(r, path, POWER);
                assertEquals(200, read.statusCode(), read.body());
                assertEquals("923001300002", TestServer.json(read).path("contact_phone").asText());
            } finally {
                r.close();
            }
        }
    }
}

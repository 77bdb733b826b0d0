package pk.gov.bisp.nser.core.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.core.format.DurableFiles;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.geo.Geography;

/**
 * {@code geography.json}: {@code {"magic": "NSER-GEOGRAPHY", "format_version": 1, "units": [[level, code,
 * name, parent], ...]}}, every unit of the hierarchy top-down.
 */
public final class GeographyFile {

    public static final String MAGIC = "NSER-GEOGRAPHY";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private GeographyFile() {
    }

    public static void write(Path file, Geography geography) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("magic", MAGIC).put("format_version", VERSION);
        ArrayNode units = root.putArray("units");
        for (GeoUnit u : geography.all()) {
            units.addArray().add(u.level().key()).add(u.code()).add(u.name()).add(u.parent());
        }
        DurableFiles.writeNew(file, JSON.writeValueAsBytes(root));
    }

    public static Geography read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new SnapshotCorruptException(file, "not valid JSON: " + e.getMessage(), e);
        }
        if (!MAGIC.equals(root.path("magic").asText())) {
            throw new SnapshotCorruptException(file, "magic='" + root.path("magic").asText() + "' expected='" + MAGIC + "'");
        }
        if (root.path("format_version").asInt() != VERSION) {
            throw new SnapshotCorruptException(file, "format version=" + root.path("format_version") + " supported="
                    + VERSION);
        }
        List<GeoUnit> units = new ArrayList<>();
        try {
            for (JsonNode u : root.path("units")) {
                units.add(new GeoUnit(GeoLevel.ofKey(u.get(0).asText()), u.get(1).asInt(), u.get(2).asText(),
                        u.get(3).asInt()));
            }
            return new Geography(units);
        } catch (RuntimeException e) {
            throw new SnapshotCorruptException(file, "bad unit: " + e.getMessage(), e);
        }
    }
}

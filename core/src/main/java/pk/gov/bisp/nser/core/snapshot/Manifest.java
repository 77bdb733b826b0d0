package pk.gov.bisp.nser.core.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;
import pk.gov.bisp.nser.core.record.RecordLayout;

/**
 * {@code manifest.json}: what a snapshot holds and the size and CRC32C of every file. Written last, so a
 * directory without a manifest is not a snapshot.
 *
 * @param asOf   the date ages are taken on for the age-based bitmaps
 * @param build  how it was built (generator seed, import source...), free-form strings
 */
public record Manifest(int formatVersion, int recordLayoutVersion, String createdAt, long households, long members,
                       long ids, LocalDate asOf, String pmtModelName, int pmtModelVersion, Map<String, String> build,
                       Map<String, FileEntry> files) {

    public static final String MAGIC = "NSER-SNAPSHOT";
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Size and checksum of one file. */
    public record FileEntry(long bytes, String crc32c) {
    }

    public byte[] toJson() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("magic", MAGIC).put("format_version", formatVersion).put("record_layout_version", recordLayoutVersion)
                .put("created_at", createdAt).put("households", households).put("members", members).put("ids", ids)
                .put("as_of", asOf.toString());
        root.putObject("pmt_model").put("name", pmtModelName).put("version", pmtModelVersion);
        ObjectNode b = root.putObject("build");
        build.forEach(b::put);
        ObjectNode f = root.putObject("files");
        files.forEach((name, e) -> f.putObject(name).put("bytes", e.bytes()).put("crc32c", e.crc32c()));
        return JSON.writeValueAsBytes(root);
    }

    public static Manifest read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new SnapshotCorruptException(file, "missing: this directory is not a complete snapshot");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new SnapshotCorruptException(file, "not valid JSON: " + e.getMessage(), e);
        }
        if (!MAGIC.equals(root.path("magic").asText())) {
            throw new SnapshotCorruptException(file, "magic='" + root.path("magic").asText() + "' expected='" + MAGIC + "'");
        }
        int version = root.path("format_version").asInt();
        if (version != FORMAT_VERSION) {
            throw new SnapshotCorruptException(file, "format version=" + version + " supported=" + FORMAT_VERSION);
        }
        int layout = root.path("record_layout_version").asInt();
        if (layout != RecordLayout.VERSION) {
            throw new SnapshotCorruptException(file, "record layout version=" + layout + " supported="
                    + RecordLayout.VERSION);
        }
        try {
            Map<String, String> build = new LinkedHashMap<>();
            root.path("build").properties().forEach(e -> build.put(e.getKey(), e.getValue().asText()));
            Map<String, FileEntry> files = new LinkedHashMap<>();
            root.path("files").properties().forEach(e -> files.put(e.getKey(),
                    new FileEntry(e.getValue().path("bytes").asLong(-1), e.getValue().path("crc32c").asText())));
            return new Manifest(version, layout, root.path("created_at").asText(), root.path("households").asLong(),
                    root.path("members").asLong(), root.path("ids").asLong(),
                    LocalDate.parse(root.path("as_of").asText()), root.path("pmt_model").path("name").asText(),
                    root.path("pmt_model").path("version").asInt(), build, files);
        } catch (RuntimeException e) {
            throw new SnapshotCorruptException(file, "bad field: " + e.getMessage(), e);
        }
    }
}

package pk.gov.bisp.nser.server.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.query.Clause;
import pk.gov.bisp.nser.core.query.LiveSets;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryParser;

/**
 * The shapes of the statistics tables a server keeps ({@link TableCache.Shape}: filter, measure, level and groups),
 * written to a small JSON file beside the update journal whenever a new one is counted, and read back at the next
 * start, so that the tables asked for before a restart are counted again in the background instead of by the first
 * request of each (0.2-0.5 s nationally). A hint only: written without fsync, replaced by an atomic rename, and a
 * shape that no longer fits the snapshot (an unknown bitmap, unit or measure) is passed over.
 */
final class KeptShapes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    private KeptShapes() {
    }

    /** Writes {@code shapes} (least recently used first) to {@code file}. */
    static void write(Path file, List<TableCache.Shape> shapes) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        ArrayNode tables = root.putArray("tables");
        for (TableCache.Shape s : shapes) {
            ObjectNode t = tables.addObject();
            t.set("query", query(s.query()));
            t.put("measure", s.measure() == null ? null : s.measure().text());
            t.put("level", s.level().name());
            ArrayNode groups = t.putArray("groups");
            s.groups().forEach(g -> groups.add(g.code()));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(root));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static ObjectNode query(Query q) {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode clauses = n.putArray("clauses");
        for (Clause c : q.clauses()) {
            ObjectNode o = clauses.addObject();
            o.put("key", c.key()).put("negated", c.negated());
            c.bitmaps().forEach(o.putArray("bitmaps")::add);
            o.put("geo_level", c.geoLevel() == null ? null : c.geoLevel().name());
            c.geoCodes().forEach(o.putArray("geo_codes")::add);
        }
        n.put("pmt_min", q.pmtMin()).put("pmt_max", q.pmtMax());
        return n;
    }

    /**
     * The shapes in {@code file} as they apply to a snapshot of {@code geography}: none when there is no file; those
     * that no longer parse are left out.
     *
     * @throws IOException when the file cannot be read or is not such a file
     */
    static List<TableCache.Shape> read(Path file, Geography geography) throws IOException {
        List<TableCache.Shape> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        JsonNode root = JSON.readTree(file.toFile());
        if (root.path("version").asInt() != VERSION) {
            throw new IOException(file + " is not a file of kept statistics tables (version " + VERSION + ")");
        }
        QueryParser parser = new QueryParser(geography, LiveSets.NONE);
        Map<GeoLevel, Map<Integer, GeoUnit>> units = new HashMap<>();
        for (JsonNode t : root.path("tables")) {
            try {
                GeoLevel level = GeoLevel.valueOf(t.path("level").asText());
                Map<Integer, GeoUnit> byCode = units.computeIfAbsent(level, l -> {
                    Map<Integer, GeoUnit> m = new HashMap<>();
                    geography.units(l).forEach(u -> m.put(u.code(), u));
                    return m;
                });
                List<GeoUnit> groups = new ArrayList<>();
                for (JsonNode g : t.path("groups")) {
                    GeoUnit u = byCode.get(g.asInt());
                    if (u == null) {
                        throw new IllegalArgumentException("no " + level + " " + g.asInt());
                    }
                    groups.add(u);
                }
                JsonNode m = t.path("measure");
                Measure measure = m.isTextual() ? Measure.parse(m.asText(), parser) : null;
                out.add(new TableCache.Shape(query(t.path("query")), measure, level, List.copyOf(groups)));
            } catch (RuntimeException e) { // this snapshot has no such unit, bitmap or measure: not kept again
                continue;
            }
        }
        return out;
    }

    private static Query query(JsonNode n) {
        List<Clause> clauses = new ArrayList<>();
        for (JsonNode c : n.path("clauses")) {
            List<String> bitmaps = new ArrayList<>();
            c.path("bitmaps").forEach(b -> bitmaps.add(b.asText()));
            List<Integer> codes = new ArrayList<>();
            c.path("geo_codes").forEach(g -> codes.add(g.asInt()));
            JsonNode level = c.path("geo_level");
            clauses.add(new Clause(c.path("key").asText(), c.path("negated").asBoolean(), bitmaps,
                    level.isTextual() ? GeoLevel.valueOf(level.asText()) : null, codes));
        }
        return new Query(clauses, n.path("pmt_min").asInt(), n.path("pmt_max").asInt());
    }
}

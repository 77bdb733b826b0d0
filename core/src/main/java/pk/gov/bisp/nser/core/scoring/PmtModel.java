package pk.gov.bisp.nser.core.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Province;

/**
 * A versioned PMT model: {@code y = intercept + sum(weight_i * indicator_i) + region adjustment}, mapped to
 * {@code score = 100 / (1 + exp(-(y - center) / spread))}, rounded to two decimals. Loaded from JSON
 * ({@code config/pmt-model.json}), validated once, then immutable and thread-safe.
 */
public final class PmtModel {

    private final String name;
    private final int version;
    private final double intercept;
    private final double[] weights = new double[PmtIndicator.values().length];
    private final double[] regionAdjustments = new double[Province.values().length];
    private final double center;
    private final double spread;
    private final byte[] json;

    private PmtModel(byte[] json, String source) throws IOException {
        this(new ObjectMapper().readTree(json), json, source);
    }

    private PmtModel(JsonNode root, byte[] json, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object");
        }
        this.json = json.clone();
        this.name = text(root, "name", source);
        this.version = root.path("version").asInt(-1);
        if (version < 1 || version > 0xFFFF) {
            throw new IllegalArgumentException(source + ": version=" + root.path("version") + " must be 1..65535");
        }
        this.intercept = number(root, "intercept", source);
        this.center = number(root.path("mapping"), "center", source + " mapping");
        this.spread = number(root.path("mapping"), "spread", source + " mapping");
        if (!(spread > 0)) {
            throw new IllegalArgumentException(source + ": mapping.spread=" + spread + " must be > 0");
        }
        for (Map.Entry<String, JsonNode> e : root.path("weights").properties()) {
            PmtIndicator ind;
            try {
                ind = PmtIndicator.ofKey(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(source + ": weights: " + ex.getMessage(), ex);
            }
            weights[ind.ordinal()] = number(root.path("weights"), e.getKey(), source + " weights");
        }
        for (Map.Entry<String, JsonNode> e : root.path("region_adjustments").properties()) {
            Province p;
            try {
                p = Province.ofKey(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(source + ": region_adjustments: " + ex.getMessage(), ex);
            }
            regionAdjustments[p.ordinal()] = number(root.path("region_adjustments"), e.getKey(), source);
        }
    }

    public static PmtModel load(Path file) throws IOException {
        return new PmtModel(Files.readAllBytes(file), file.toString());
    }

    /** The default model shipped in the jar (identical to {@code config/pmt-model.json}). */
    public static PmtModel builtIn() {
        try (InputStream in = PmtModel.class.getResourceAsStream("pmt-model.json")) {
            return new PmtModel(in.readAllBytes(), "built-in pmt-model.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PmtModel parse(String json, String source) throws IOException {
        return new PmtModel(json.getBytes(StandardCharsets.UTF_8), source);
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    /** The model file's bytes, exactly as read (what a snapshot keeps as {@code pmt-model.json}). */
    public byte[] json() {
        return json.clone();
    }

    /** The score in hundredths (0..10000) of the record; {@code scratch} is reused (see {@link #newScratch()}). */
    public int scoreHundredths(HouseholdRecord r, PmtInputs scratch) {
        return scoreHundredths(scratch.read(r));
    }

    /** The score in hundredths (0..10000) of a household whose inputs are already read. */
    public int scoreHundredths(PmtInputs in) {
        double[] x = in.indicators();
        double y = intercept + regionAdjustments[in.province - 1];
        for (int i = 0; i < weights.length; i++) {
            y += weights[i] * x[i];
        }
        double score = 100.0 / (1.0 + Math.exp(-(y - center) / spread));
        return (int) Math.max(0, Math.min(10_000, Math.round(score * 100.0)));
    }

    /** Scores the record and writes score and model version into it. */
    public int rescore(HouseholdRecord r, PmtInputs scratch) {
        int s = scoreHundredths(r, scratch);
        r.setPmt(s, version);
        return s;
    }

    /** Scratch for one thread's scoring. */
    public static PmtInputs newScratch() {
        return new PmtInputs();
    }

    private static String text(JsonNode n, String field, String source) {
        JsonNode v = n.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(source + ": " + field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static double number(JsonNode n, String field, String source) {
        JsonNode v = n.path(field);
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new IllegalArgumentException(source + ": " + field + " must be a finite number, got " + v);
        }
        return v.asDouble();
    }
}

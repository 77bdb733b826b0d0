package pk.gov.bisp.nser.server.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A whole-number setting: its YAML path, its one default and its range, stated once by the component it configures
 * (e.g. {@link MeteringOptions#FSYNC_INTERVAL_MICROS}). The YAML parser reads it with {@link #read}; the options
 * record's constructor checks it with {@link #check}, so a value built in code is held to the same range.
 *
 * @param path         the setting's YAML path, named by every error ({@code journal.fsync_interval_micros})
 * @param defaultValue the value when the setting is absent
 * @param min          the least value allowed
 * @param max          the greatest value allowed
 */
public record IntSetting(String path, int defaultValue, int min, int max) {

    public IntSetting {
        if (min > max || defaultValue < min || defaultValue > max) {
            throw new IllegalArgumentException(path + ": default " + defaultValue + " outside " + min + ".." + max);
        }
    }

    /** The same setting under another section ({@code feedback.segment_mb} from {@code updates.segment_mb}). */
    public IntSetting at(String otherPath) {
        return new IntSetting(otherPath, defaultValue, min, max);
    }

    /** {@code value}, or a {@link ConfigException} naming this setting and its range. */
    public int check(long value) {
        if (value < min || value > max) {
            throw new ConfigException(path + ": " + rule() + ", got " + value);
        }
        return (int) value;
    }

    /** The setting's field in {@code section}: its default when absent, else a whole number in range. */
    int read(JsonNode section, String source) {
        JsonNode v = section.path(path.substring(path.lastIndexOf('.') + 1));
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        if (!v.isInt() || v.asInt() < min || v.asInt() > max) {
            throw new ConfigException(source + ": " + path + ": " + rule() + ", got " + v);
        }
        return v.asInt();
    }

    private String rule() {
        return "must be a whole number " + min + ".." + max;
    }
}

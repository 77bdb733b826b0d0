package pk.gov.bisp.nser.server.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import pk.gov.bisp.nser.server.caller.Role;

/**
 * The two-way exchange with partner programmes (the {@code exchange:} section, and each organisation's
 * {@code agreement.programmes}). Enrolments and benefits posted by partners go to their own journal, fsynced before
 * each answer.
 *
 * @param dir          the exchange journal's directory; null = beside the snapshot ({@code SNAPSHOT.exchange})
 * @param segmentBytes journal segment size (default 64 MiB)
 * @param programmes   by organisation id, the programmes its agreement names: the only ones it may post for
 * @param visibleTo    roles besides Power that see which programmes serve a household (default none: Standard and
 *                     Basic see nothing of other programmes)
 * @param owner        the organisation that runs the registry (BISP, {@code bisp} by default): it sees every
 *                     programme's amounts
 */
public record ExchangeOptions(Path dir, long segmentBytes, Map<String, Set<String>> programmes, Set<Role> visibleTo,
                              String owner) {

    /** The journals' one segment rule ({@link MeteringOptions#SEGMENT_MB}), under {@code exchange:}. */
    public static final IntSetting SEGMENT_MB = MeteringOptions.SEGMENT_MB.at("exchange.segment_mb");
    public static final String DEFAULT_OWNER = "bisp";
    public static final ExchangeOptions DEFAULTS = new ExchangeOptions(null, (long) SEGMENT_MB.defaultValue() << 20,
            Map.of(), Set.of(), DEFAULT_OWNER);

    public ExchangeOptions {
        SEGMENT_MB.check(segmentBytes >> 20);
        programmes = Map.copyOf(programmes);
        visibleTo = Set.copyOf(visibleTo);
    }

    public ExchangeOptions withDir(Path d) {
        return new ExchangeOptions(d, segmentBytes, programmes, visibleTo, owner);
    }

    /** The programmes {@code organisation}'s agreement names (empty for one that is no partner). */
    public Set<String> programmesOf(String organisation) {
        return programmes.getOrDefault(organisation, Set.of());
    }

    /** Every partner programme, sorted. */
    public Set<String> allProgrammes() {
        Set<String> all = new TreeSet<>();
        programmes.values().forEach(all::addAll);
        return all;
    }
}

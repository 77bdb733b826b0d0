package pk.gov.bisp.nser.server.config;

import java.nio.file.Path;
import java.util.List;
import pk.gov.bisp.nser.server.caller.Agreement;

/**
 * Data-sharing agreements: their journal, and the agreements the configuration seeds, one per organisation (its
 * {@code agreement:} block, or one made from its users when it has none). The live agreements are the seeds with
 * every journaled change applied in order.
 *
 * @param dir   the agreement journal (null: {@code SNAPSHOT.agreements} beside the snapshot; {@code agreements.dir}
 *              or {@code --agreements} override)
 * @param seeds the configuration's agreements
 */
public record AgreementOptions(Path dir, List<Agreement> seeds) {

    public AgreementOptions {
        seeds = List.copyOf(seeds);
    }

    public AgreementOptions withDir(Path d) {
        return new AgreementOptions(d, seeds);
    }
}

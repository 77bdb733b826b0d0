package pk.gov.bisp.nser.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Asset;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/** Re-survey bodies ({@code PUT /v1/households/{id}/survey}) that move a household across the cut-offs. */
public final class Resurveys {

    private Resurveys() {
    }

    /**
     * The household {@code r} of {@code s} as a re-survey that makes it rich: every asset, a pacca house of 12 rooms,
     * metered electricity, piped gas and a formal latrine, so a score far above every programme's cut-off.
     */
    public static String rich(HouseholdRecord r, Snapshot s) {
        ObjectNode n = HouseholdJson.toJson(HouseholdCodec.decode(r, s.dictionary()));
        for (String f : List.of("household_id", "pmt_score", "version", "pmt_model_version")) {
            n.remove(f);
        }
        n.put("house_type", "pacca").put("rooms", 12).put("electricity", "metered").put("toilet", "formal_latrine")
                .put("gas", "piped").put("update_type", "recertification");
        ArrayNode assets = n.putArray("assets");
        for (Asset a : Asset.values()) {
            assets.add(a.key());
        }
        return n.toString();
    }
}

package pk.gov.bisp.nser.server.update;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.index.MemberSummary;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.server.eligibility.Programme;
import pk.gov.bisp.nser.server.eligibility.Reason;

/**
 * Re-scores an updated household with the configured PMT model, encodes its record, and writes the answer:
 * old and new score, and whether the main programme's eligibility changed. Used by the update thread only.
 */
final class Scorer {

    /** The household with its new version and score, and its record bytes. */
    record Scored(Household household, byte[] record) {
    }

    private static final JsonFactory JSON = new JsonFactory();
    private PmtModel model;
    private final boolean configured;
    private final Programme main;
    private final byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
    private final HouseholdRecord flyweight = new HouseholdRecord();
    private final PmtInputs scratch = PmtModel.newScratch();
    private final MemberSummary summary = new MemberSummary();

    /** Scores with {@code configured}, or (null) with the snapshot's own model once known, else the built-in one. */
    Scorer(PmtModel configured, Programme main) {
        this.model = configured == null ? PmtModel.builtIn() : configured;
        this.configured = configured != null;
        this.main = main;
    }

    PmtModel model() {
        return model;
    }

    /** Takes the snapshot's model unless one was configured; returns the model in use. */
    PmtModel adopt(PmtModel snapshotModel) {
        if (!configured && snapshotModel != null) {
            model = snapshotModel;
        }
        return model;
    }

    /**
     * A changed household's record re-scored with the model in use, or null when it already is (after an offline
     * re-scoring to a new model version, the households changed before it are re-scored at start).
     */
    byte[] rescoreIfStale(byte[] record) {
        flyweight.wrap(record, record.length);
        if (flyweight.pmtModelVersion() == model.version()) {
            return null;
        }
        byte[] copy = record.clone();
        flyweight.wrap(copy, copy.length);
        model.rescore(flyweight, scratch);
        return copy;
    }

    /**
     * Encodes {@code h} at {@code version}, scores it, and returns both.
     *
     * @throws IllegalArgumentException naming a value the record cannot hold
     */
    Scored score(Household h, int version, StringDictionary dict) {
        Household v = new Household(h.householdId(), h.address(), 0, model.version(), h.surveyDate(),
                h.surveySource(), h.dwelling(), h.assets(), h.phone(), h.uct(), h.cct(), version, h.members());
        int len = HouseholdCodec.encode(v, dict, buf);
        flyweight.wrap(buf, len);
        int score = model.rescore(flyweight, scratch);
        return new Scored(v.withPmt(score, model.version()), Arrays.copyOf(buf, len));
    }

    /** The 200/201 answer. */
    Outcome outcome(UpdateCommand cmd, Household before, Scored after, boolean created, StringDictionary dict) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        Household h = after.household();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("household_id", h.householdId());
            g.writeNumberField("version", h.version());
            g.writeBooleanField("created", created);
            g.writeStringField("update_type", cmd.type().key());
            g.writeStringField("source_organisation", cmd.source());
            g.writeNumberField("members", h.members().size());
            g.writeObjectFieldStart("pmt");
            g.writeStringField("model", model.name());
            g.writeNumberField("model_version", model.version());
            if (before == null) {
                g.writeNullField("before");
            } else {
                g.writeNumberField("before", before.pmtHundredths() / 100.0);
            }
            g.writeNumberField("after", h.pmtHundredths() / 100.0);
            g.writeEndObject();
            Reason was = before == null ? null : decide(before, dict, cmd);
            Reason now = decide(after.record(), cmd);
            g.writeObjectFieldStart("eligibility");
            g.writeStringField("programme", main.id());
            if (was == null) {
                g.writeNullField("before");
            } else {
                g.writeBooleanField("before", was.eligible());
            }
            g.writeBooleanField("after", now.eligible());
            g.writeBooleanField("changed", was == null ? now.eligible() : was.eligible() != now.eligible());
            g.writeStringField("reason", now.name().toLowerCase(Locale.ROOT));
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Outcome(created ? 201 : 200, Outcome.JSON, out.toByteArray(), h.version(), false);
    }

    private Reason decide(Household h, StringDictionary dict, UpdateCommand cmd) {
        int len = HouseholdCodec.encode(h, dict, buf);
        return decide(Arrays.copyOf(buf, len), cmd);
    }

    private Reason decide(byte[] record, UpdateCommand cmd) {
        flyweight.wrap(record, record.length);
        return main.rule().decide(flyweight, summary.of(flyweight, cmd.today()));
    }
}

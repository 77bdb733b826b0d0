package pk.gov.bisp.nser.server.projection;

import static pk.gov.bisp.nser.server.projection.Fields.*;

import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.json.JsonBytes;

/**
 * A household looked up, written straight as the DCI Social Registry's {@code Group}: for each role, exactly what
 * the DCI mapping ({@code dci.RecordStream}) makes of {@link HouseholdWriter#write}'s projection for that role, byte
 * for byte (a test compares the two over the demo households), without writing the native JSON first. Each role
 * has its own write path, the same fields as the native one: Power the whole household, Standard names, kin and age
 * (the searched member's CNIC only), Basic the searched person's name, the address and the score. Only names change:
 * the household id to {@code group_identifier}, the PMT score to {@code poverty_score}, members to
 * {@code member_list} (and {@code group_size}), a member's CNIC to {@code member_identifier}, name, gender, date of
 * birth and age to {@code demographic_info}. One instance per event loop, over that loop's {@link HouseholdWriter}.
 */
public final class DciGroupWriter {

    private static final JsonBytes.Name TYPE = JsonBytes.name("@type");
    private static final JsonBytes.Name POVERTY_SCORE = JsonBytes.name("poverty_score");
    private static final JsonBytes.Name POVERTY_SCORE_TYPE = JsonBytes.name("poverty_score_type");
    private static final JsonBytes.Name MEMBER_LIST = JsonBytes.name("member_list");
    private static final JsonBytes.Name GROUP_SIZE = JsonBytes.name("group_size");
    private static final JsonBytes.Name SEX = JsonBytes.name("sex");
    private static final JsonBytes.Name BIRTH_DATE = JsonBytes.name("birth_date");
    private static final JsonBytes.Text GROUP = JsonBytes.text("Group");
    private static final JsonBytes.Text MEMBER = JsonBytes.text("Member");
    private static final JsonBytes.Text PMT = JsonBytes.text("PMT");
    /** {@code "group_identifier":[{..,"identifier_type":"HOUSEHOLD_ID","identifier_value":}: the value follows. */
    private static final byte[] GROUP_ID = ascii("\"group_identifier\":[{\"@type\":\"Identifier\",\"identifier_type\":"
            + "\"HOUSEHOLD_ID\",\"identifier_value\":");
    /** A member's CNIC identifier up to its value's opening quote. */
    private static final byte[] MEMBER_ID = ascii("\"member_identifier\":[{\"@type\":\"Identifier\",\"identifier_type\":"
            + "\"CNIC\",\"identifier_value\":");
    /** {@code "demographic_info":{"@type":"SRPerson","name":{"@type":"Name","given_name":}: the name follows. */
    private static final byte[] DEMOGRAPHIC_NAME = ascii("\"demographic_info\":{\"@type\":\"SRPerson\",\"name\":"
            + "{\"@type\":\"Name\",\"given_name\":");

    private final HouseholdWriter native_;

    /** @param writer this event loop's native writer: its caches (names, address lines) and its calendar */
    public DciGroupWriter(HouseholdWriter writer) {
        this.native_ = writer;
    }

    /**
     * The household as a {@code Group} for {@code role}; {@code searched} as in {@link HouseholdWriter#write} (-1:
     * asked for by id; Basic needs a searched member).
     */
    public void group(JsonBytes g, HouseholdRecord r, int searched, Role role) {
        switch (role) {
            case POWER -> power(g, r, searched);
            case STANDARD -> standard(g, r, searched);
            case BASIC -> basic(g, r, searched);
            default -> throw new IllegalArgumentException("role " + role + " has no household projection");
        }
    }

    private void power(JsonBytes g, HouseholdRecord r, int searched) {
        g.startObject().field(TYPE).value(GROUP);
        groupId(g, r);
        score(g, r);
        g.field(SURVEY_DATE);
        HouseholdWriter.date(g, r.surveyEpochDay());
        g.field(SURVEY_SOURCE).value(SOURCES[r.surveySource().ordinal()]);
        native_.address(g, r, true, true);
        g.field(PHONE).value(r.phone() == 0 ? null : Long.toString(r.phone()));
        HouseholdWriter.dwelling(g, r);
        HouseholdWriter.assets(g, r);
        g.field(PROGRAMMES).startObject();
        g.field(UCT).value(r.uct());
        g.field(CCT).value(r.cct());
        g.endObject();
        g.field(MEMBER_LIST).startArray();
        int on = HouseholdWriter.ymd(native_.today.get());
        for (int i = 0; i < r.memberCount(); i++) {
            g.startObject().field(TYPE).value(MEMBER);
            memberId(g, r.cnic(i));
            if (searched >= 0) {
                g.field(SEARCHED).value(i == searched);
            }
            g.field(GUARDIAN).rawValue(native_.text(r.guardianNameId(i)));
            g.field(RELATIONSHIP).value(RELATIONSHIPS[r.relationship(i).ordinal()]);
            HouseholdWriter.profile(g, r, i);
            int birthDay = r.birthEpochDay(i);
            g.encoded(DEMOGRAPHIC_NAME, false).rawValue(native_.text(r.nameId(i))).endObject();
            g.field(SEX).value(GENDERS[r.gender(i).ordinal()]).field(BIRTH_DATE);
            HouseholdWriter.date(g, birthDay);
            g.field(AGE).value(HouseholdWriter.age(HouseholdWriter.ymd(birthDay), on));
            g.endObject().endObject();
        }
        g.endArray();
        g.field(GROUP_SIZE).value(r.memberCount());
        g.endObject();
    }

    private void standard(JsonBytes g, HouseholdRecord r, int searched) {
        g.startObject().field(TYPE).value(GROUP);
        groupId(g, r);
        score(g, r);
        native_.address(g, r, false, true);
        HouseholdWriter.assets(g, r);
        g.field(MEMBER_LIST).startArray();
        int on = HouseholdWriter.ymd(native_.today.get());
        for (int i = 0; i < r.memberCount(); i++) {
            g.startObject().field(TYPE).value(MEMBER);
            if (i == searched) {
                memberId(g, r.cnic(i));
            }
            if (searched >= 0) {
                g.field(SEARCHED).value(i == searched);
            }
            g.field(RELATIONSHIP).value(RELATIONSHIPS[r.relationship(i).ordinal()]);
            g.encoded(DEMOGRAPHIC_NAME, false).rawValue(native_.text(r.nameId(i))).endObject();
            g.field(SEX).value(GENDERS[r.gender(i).ordinal()]);
            g.field(AGE).value(HouseholdWriter.age(HouseholdWriter.ymd(r.birthEpochDay(i)), on));
            g.endObject().endObject();
        }
        g.endArray();
        g.field(GROUP_SIZE).value(r.memberCount());
        g.endObject();
    }

    private void basic(JsonBytes g, HouseholdRecord r, int searched) {
        g.startObject().field(TYPE).value(GROUP);
        g.field(MEMBER_LIST).startArray().startObject().field(TYPE).value(MEMBER);
        g.encoded(DEMOGRAPHIC_NAME, false).rawValue(native_.text(r.nameId(searched))).endObject();
        g.endObject().endObject().endArray();
        native_.address(g, r, false, true);
        score(g, r);
        g.endObject();
    }

    /** The household id as the Group's identifier (its digits quoted, as the mapping writes a number). */
    private static void groupId(JsonBytes g, HouseholdRecord r) {
        g.encoded(GROUP_ID, false).value(Long.toString(r.householdId())).endObject().endArray();
    }

    /** A member's CNIC as its identifier; nothing for none (a child without a B-Form). */
    private void memberId(JsonBytes g, long cnic) {
        if (cnic != 0) {
            byte[] b = native_.cnicStart(cnic);
            g.encoded(MEMBER_ID, false).encoded(b, HouseholdWriter.CNIC_AT, b.length - HouseholdWriter.CNIC_AT, true)
                    .endObject().endArray();
        }
    }

    /** {@code poverty_score} (the PMT score), its type, and the model's version. */
    private static void score(JsonBytes g, HouseholdRecord r) {
        g.field(POVERTY_SCORE);
        int h = r.pmtHundredths();
        if (h < HouseholdWriter.PMT_VALUES) {
            g.rawValue(HouseholdWriter.SCORES[h]);
        } else {
            g.decimal(h, 2);
        }
        g.field(POVERTY_SCORE_TYPE).value(PMT).field(MODEL).value(r.pmtModelVersion());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}

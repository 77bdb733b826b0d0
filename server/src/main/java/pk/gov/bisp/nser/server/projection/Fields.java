package pk.gov.bisp.nser.server.projection;

import pk.gov.bisp.nser.core.schema.Asset;
import pk.gov.bisp.nser.core.schema.Coded;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.schema.EducationLevel;
import pk.gov.bisp.nser.core.schema.Electricity;
import pk.gov.bisp.nser.core.schema.Employment;
import pk.gov.bisp.nser.core.schema.GasConnection;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.HouseType;
import pk.gov.bisp.nser.core.schema.LandUnit;
import pk.gov.bisp.nser.core.schema.Livestock;
import pk.gov.bisp.nser.core.schema.MaritalStatus;
import pk.gov.bisp.nser.core.schema.Relationship;
import pk.gov.bisp.nser.core.schema.SchoolStatus;
import pk.gov.bisp.nser.core.schema.SurveySource;
import pk.gov.bisp.nser.core.schema.ToiletType;
import pk.gov.bisp.nser.core.schema.WaterSource;
import pk.gov.bisp.nser.server.json.JsonBytes.Name;
import pk.gov.bisp.nser.server.json.JsonBytes.Text;
import pk.gov.bisp.nser.server.json.JsonBytes;

/** Field names and enum keys of household JSON, pre-encoded once. */
final class Fields {

    static final Name ADDRESS = name("address");
    static final Name AGE = name("age");
    static final Name ASSETS = name("assets");
    static final Name CCT = name("cct");
    static final Name CHRONIC = name("chronic_disease");
    static final Name CNIC = name("cnic");
    static final Name CODE = name("code");
    static final Name PHONE = name("contact_phone");
    static final Name DOB = name("date_of_birth");
    static final Name DECEASED = name("deceased");
    static final Name DISABILITY = name("disability");
    static final Name WATER = name("drinking_water");
    static final Name DWELLING = name("dwelling");
    static final Name EDUCATION = name("education");
    static final Name ELECTRICITY = name("electricity");
    static final Name EMPLOYMENT = name("employment");
    static final Name EQUIPMENT = name("equipment");
    static final Name GAS = name("gas");
    static final Name GENDER = name("gender");
    static final Name GUARDIAN = name("guardian_name");
    static final Name HOUSE_TYPE = name("house_type");
    static final Name HOUSEHOLD_ID = name("household_id");
    static final Name LAND = name("land");
    static final Name LATITUDE = name("latitude");
    static final Name LITERATE = name("literate");
    static final Name LIVESTOCK = name("livestock");
    static final Name LONGITUDE = name("longitude");
    static final Name MARITAL = name("marital_status");
    static final Name MEMBERS = name("members");
    static final Name NAME = name("name");
    static final Name MODEL = name("pmt_model_version");
    static final Name SCORE = name("pmt_score");
    static final Name BAND = name("pmt_band");
    static final Name PROGRAMMES = name("programmes");
    static final Name RELATIONSHIP = name("relationship");
    static final Name ROOMS = name("rooms");
    static final Name SCHOOL = name("school_status");
    static final Name SEARCHED = name("searched");
    static final Name SURVEY_DATE = name("survey_date");
    static final Name SURVEY_SOURCE = name("survey_source");
    static final Name TEXT = name("text");
    static final Name TOILET = name("toilet");
    static final Name UCT = name("uct");
    static final Name VILLAGE = name("village");
    static final Name ID = name("id");
    static final Name[] LEVELS = {name("province"), name("division"),
        name("district"), name("tehsil"), name("union_council")};

    static final Text[] GENDERS = keys(Gender.values());
    static final Text[] RELATIONSHIPS = keys(Relationship.values());
    static final Text[] MARITAL_STATUSES = keys(MaritalStatus.values());
    static final Text[] DISABILITIES = keys(Disability.values());
    static final Text[] EDUCATIONS = keys(EducationLevel.values());
    static final Text[] SCHOOL_STATUSES = keys(SchoolStatus.values());
    static final Text[] EMPLOYMENTS = keys(Employment.values());
    static final Text[] SOURCES = keys(SurveySource.values());
    static final Text[] HOUSE_TYPES = keys(HouseType.values());
    static final Text[] TOILETS = keys(ToiletType.values());
    static final Text[] WATERS = keys(WaterSource.values());
    static final Text[] ELECTRICITIES = keys(Electricity.values());
    static final Text[] GASES = keys(GasConnection.values());
    static final Text[] ASSET_KEYS = keys(Asset.values());
    static final Name[] LIVESTOCK_KEYS = names(Livestock.values());
    static final Name[] LAND_KEYS = names(LandUnit.values());


    private Fields() {
    }

    private static Name name(String s) {
        return JsonBytes.name(s);
    }

    /** An enum's keys as pre-encoded field names, indexed by ordinal. */
    private static Name[] names(Coded[] values) {
        Name[] out = new Name[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = JsonBytes.name(values[i].key());
        }
        return out;
    }

    /** Pre-encoded keys of an enum, indexed by ordinal. */
    private static Text[] keys(Coded[] values) {
        String[] keys = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            keys[i] = values[i].key();
        }
        return JsonBytes.texts(keys);
    }
}

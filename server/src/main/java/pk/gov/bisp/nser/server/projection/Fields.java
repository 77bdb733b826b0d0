package pk.gov.bisp.nser.server.projection;

import com.fasterxml.jackson.core.io.SerializedString;
import pk.gov.bisp.nser.core.schema.Asset;
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
import pk.gov.bisp.nser.server.http.Json;

/** Field names and enum keys of household JSON, pre-encoded once. */
final class Fields {

    static final SerializedString ADDRESS = Json.name("address");
    static final SerializedString AGE = Json.name("age");
    static final SerializedString ASSETS = Json.name("assets");
    static final SerializedString CCT = Json.name("cct");
    static final SerializedString CHRONIC = Json.name("chronic_disease");
    static final SerializedString CNIC = Json.name("cnic");
    static final SerializedString CODE = Json.name("code");
    static final SerializedString PHONE = Json.name("contact_phone");
    static final SerializedString DOB = Json.name("date_of_birth");
    static final SerializedString DECEASED = Json.name("deceased");
    static final SerializedString DISABILITY = Json.name("disability");
    static final SerializedString WATER = Json.name("drinking_water");
    static final SerializedString DWELLING = Json.name("dwelling");
    static final SerializedString EDUCATION = Json.name("education");
    static final SerializedString ELECTRICITY = Json.name("electricity");
    static final SerializedString EMPLOYMENT = Json.name("employment");
    static final SerializedString EQUIPMENT = Json.name("equipment");
    static final SerializedString GAS = Json.name("gas");
    static final SerializedString GENDER = Json.name("gender");
    static final SerializedString GUARDIAN = Json.name("guardian_name");
    static final SerializedString HOUSE_TYPE = Json.name("house_type");
    static final SerializedString HOUSEHOLD_ID = Json.name("household_id");
    static final SerializedString LAND = Json.name("land");
    static final SerializedString LATITUDE = Json.name("latitude");
    static final SerializedString LITERATE = Json.name("literate");
    static final SerializedString LIVESTOCK = Json.name("livestock");
    static final SerializedString LONGITUDE = Json.name("longitude");
    static final SerializedString MARITAL = Json.name("marital_status");
    static final SerializedString MEMBERS = Json.name("members");
    static final SerializedString NAME = Json.name("name");
    static final SerializedString MODEL = Json.name("pmt_model_version");
    static final SerializedString SCORE = Json.name("pmt_score");
    static final SerializedString PROGRAMMES = Json.name("programmes");
    static final SerializedString RELATIONSHIP = Json.name("relationship");
    static final SerializedString ROOMS = Json.name("rooms");
    static final SerializedString SCHOOL = Json.name("school_status");
    static final SerializedString SEARCHED = Json.name("searched");
    static final SerializedString SURVEY_DATE = Json.name("survey_date");
    static final SerializedString SURVEY_SOURCE = Json.name("survey_source");
    static final SerializedString TEXT = Json.name("text");
    static final SerializedString TOILET = Json.name("toilet");
    static final SerializedString UCT = Json.name("uct");
    static final SerializedString VILLAGE = Json.name("village");
    static final SerializedString ID = Json.name("id");
    static final SerializedString[] LEVELS = {Json.name("province"), Json.name("division"),
        Json.name("district"), Json.name("tehsil"), Json.name("union_council")};

    static final SerializedString[] GENDERS = Json.keys(Gender.values());
    static final SerializedString[] RELATIONSHIPS = Json.keys(Relationship.values());
    static final SerializedString[] MARITAL_STATUSES = Json.keys(MaritalStatus.values());
    static final SerializedString[] DISABILITIES = Json.keys(Disability.values());
    static final SerializedString[] EDUCATIONS = Json.keys(EducationLevel.values());
    static final SerializedString[] SCHOOL_STATUSES = Json.keys(SchoolStatus.values());
    static final SerializedString[] EMPLOYMENTS = Json.keys(Employment.values());
    static final SerializedString[] SOURCES = Json.keys(SurveySource.values());
    static final SerializedString[] HOUSE_TYPES = Json.keys(HouseType.values());
    static final SerializedString[] TOILETS = Json.keys(ToiletType.values());
    static final SerializedString[] WATERS = Json.keys(WaterSource.values());
    static final SerializedString[] ELECTRICITIES = Json.keys(Electricity.values());
    static final SerializedString[] GASES = Json.keys(GasConnection.values());
    static final SerializedString[] ASSET_KEYS = Json.keys(Asset.values());
    static final SerializedString[] LIVESTOCK_KEYS = Json.keys(Livestock.values());
    static final SerializedString[] LAND_KEYS = Json.keys(LandUnit.values());


    private Fields() {
    }
}

package pk.gov.bisp.nser.core.schema;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One household of the registry, fully decoded. The hot path never builds this: it reads fields through
 * {@code HouseholdRecord}; this is for the generator, import, updates and tests.
 *
 * @param householdId      NSER household id: public, stable for life (not the ordinal)
 * @param pmtHundredths    PMT score in hundredths, 0..10000
 * @param pmtModelVersion  version of the PMT model that computed the score
 * @param phone            contact number as digits (e.g. 923001234567), 0 when none
 * @param uct              beneficiary of the unconditional cash transfer (Kafaalat)
 * @param cct              beneficiary of a conditional cash transfer (e.g. education stipends)
 * @param version          update version, for optimistic concurrency
 */
public record Household(long householdId, Address address, int pmtHundredths, int pmtModelVersion,
                        LocalDate surveyDate, SurveySource surveySource, Dwelling dwelling, Assets assets,
                        long phone, boolean uct, boolean cct, int version, List<Member> members) {

    public Household {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(surveyDate, "surveyDate");
        Objects.requireNonNull(surveySource, "surveySource");
        Objects.requireNonNull(dwelling, "dwelling");
        Objects.requireNonNull(assets, "assets");
        members = List.copyOf(members);
        if (pmtHundredths < 0 || pmtHundredths > 10_000) {
            throw new IllegalArgumentException("pmtHundredths=" + pmtHundredths + " must be 0..10000");
        }
        if (members.isEmpty() || members.size() > 255) {
            throw new IllegalArgumentException("members=" + members.size() + " must be 1..255");
        }
    }

    public double pmtScore() {
        return pmtHundredths / 100.0;
    }

    public Household withPmt(int hundredths, int modelVersion) {
        return new Household(householdId, address, hundredths, modelVersion, surveyDate, surveySource, dwelling,
                assets, phone, uct, cct, version, members);
    }
}

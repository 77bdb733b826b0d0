package pk.gov.bisp.nser.server.eligibility;


/** A programme partners check eligibility for. */
public record Programme(String id, String name, ProgrammeRule rule) {
}

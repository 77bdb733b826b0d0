package pk.gov.bisp.nser.server.config;

import pk.gov.bisp.nser.server.eligibility.ProgrammeRule;

/** A programme partners check eligibility for. */
public record Programme(String id, String name, ProgrammeRule rule) {
}

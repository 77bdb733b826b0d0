package pk.gov.bisp.nser.server.config;

/** A partner organisation: who pays what, and where it may look. */
public record Organisation(String id, String name, OrganisationType type, AreaScope scope) {
}

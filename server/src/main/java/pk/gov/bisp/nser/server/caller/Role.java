package pk.gov.bisp.nser.server.caller;

/** The data-sharing plan's user roles (8.2.1), plus the point-of-sale and administrator roles. */
public enum Role {
    /** Complete households, CNICs and coordinates included. */
    POWER,
    /** Names, address, assets and score; no CNIC but the one searched, no coordinates. */
    STANDARD,
    /** The searched person's name, address and score; lists restricted to the 1% sample. */
    BASIC,
    /** Utility Stores points of sale: eligibility answers only. */
    POS,
    /** BISP administrators: usage and audit. */
    ADMIN
}

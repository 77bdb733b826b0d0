package pk.gov.bisp.nser.server.projection;

/**
 * The field classes of the data-sharing plan (6.3), as bits: what the fields of an answer are, recorded for each
 * request in the access log ({@code Exchange.rows}).
 */
public final class FieldClasses {

    public static final int PUBLIC = 1;
    public static final int CONFIDENTIAL = 2;
    public static final int SECRET = 4;

    private FieldClasses() {
    }
}

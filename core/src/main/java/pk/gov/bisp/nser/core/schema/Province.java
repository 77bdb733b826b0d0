package pk.gov.bisp.nser.core.schema;

/**
 * Provinces and regions of the NSER, in the order of the annual report's tables.
 * Stored by ordinal; {@link #code()} is the public 1-based geography code; {@link #reportName()} matches
 * the keys of {@code shared/data/nser-marginals.json}; {@link #cnicDigit()} is the first CNIC digit NADRA uses.
 */
public enum Province implements Coded {
    AZAD_JAMMU_KASHMIR("ajk", "Azad Jammu & Kashmir", 8),
    BALOCHISTAN("balochistan", "Balochistan", 5),
    GILGIT_BALTISTAN("gb", "Gilgit Baltistan", 7),
    ISLAMABAD("islamabad", "Islamabad", 6),
    KHYBER_PAKHTUNKHWA("kp", "Khyber Pakhtunkhwa", 1),
    PUNJAB("punjab", "Punjab", 3),
    SINDH("sindh", "Sindh", 4);

    private static final Province[] VALUES = values();
    private final String key;
    private final String reportName;
    private final int cnicDigit;

    Province(String key, String reportName, int cnicDigit) {
        this.key = key;
        this.reportName = reportName;
        this.cnicDigit = cnicDigit;
    }

    @Override
    public String key() {
        return key;
    }

    /** The name used by the annual report and the marginals file. */
    public String reportName() {
        return reportName;
    }

    /** The public geography code, 1..7. */
    public int code() {
        return ordinal() + 1;
    }

    /** The first digit of CNICs issued in this region. */
    public int cnicDigit() {
        return cnicDigit;
    }

    public static Province ofCode(int code) {
        return Coded.byCode(VALUES, code - 1, "Province");
    }

    public static Province ofKey(String key) {
        return Coded.byKey(VALUES, key, "Province");
    }

    public static Province ofReportName(String name) {
        for (Province p : VALUES) {
            if (p.reportName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown region name '" + name + "'");
    }
}

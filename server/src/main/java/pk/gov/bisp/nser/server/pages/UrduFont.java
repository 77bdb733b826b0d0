package pk.gov.bisp.nser.server.pages;

/**
 * Noto Nastaliq Urdu as the server serves it ({@code /assets/noto-nastaliq-urdu.woff2}, a subset of the
 * fontsource package under the SIL Open Font License; see {@code pages/README.md}), for every page with Urdu
 * text. The {@code unicode-range} keeps a browser from fetching it for a page without Urdu letters.
 */
public final class UrduFont {

    /** The CSS family name. */
    public static final String FAMILY = "Noto Nastaliq Urdu";
    public static final String URL = "/assets/noto-nastaliq-urdu.woff2";

    /** The code points the subset keeps, as inclusive ranges (the same list as pages/README.md's command). */
    static final int[][] COVERED = {
        {0x20, 0x20}, {0xA0, 0xA0}, {0x060C, 0x060C}, {0x061B, 0x061B}, {0x061F, 0x061F}, {0x0621, 0x063A},
        {0x0640, 0x0652}, {0x0670, 0x0670}, {0x0679, 0x0679}, {0x067E, 0x067E}, {0x0686, 0x0686},
        {0x0688, 0x0688}, {0x0691, 0x0691}, {0x0698, 0x0698}, {0x06A9, 0x06A9}, {0x06AF, 0x06AF},
        {0x06BA, 0x06BA}, {0x06BE, 0x06BE}, {0x06C0, 0x06C3}, {0x06CC, 0x06CC}, {0x06D2, 0x06D4},
        {0x06F0, 0x06F9}, {0x200C, 0x200F},
    };

    /** The {@code @font-face} rule; weights 400 to 700 all map to the one file (no synthetic bold). */
    public static final String FACE = "@font-face{font-family:'" + FAMILY + "';src:url(" + URL
            + ") format('woff2');font-weight:400 700;font-display:swap;unicode-range:U+0600-06FF,U+200C-200F}";

    private UrduFont() {
    }

    /** Whether the served subset has a glyph for code point {@code cp}. */
    public static boolean covers(int cp) {
        for (int[] r : COVERED) {
            if (cp >= r[0] && cp <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /** The first code point of {@code text} in the Arabic block that the subset lacks, or -1. */
    public static int firstMissing(String text) {
        return text.codePoints().filter(cp -> cp >= 0x0600 && cp <= 0x06FF && !covers(cp)).findFirst().orElse(-1);
    }
}

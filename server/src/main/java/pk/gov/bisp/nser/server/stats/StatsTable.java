package pk.gov.bisp.nser.server.stats;

import java.util.List;
import pk.gov.bisp.nser.core.geo.GeoUnit;

/**
 * Counts per group (and their total, the sum of the groups) with small-cell suppression:
 * <ol>
 * <li>primary: every cell under k is suppressed (zero included);</li>
 * <li>complement: a measure count whose complement (base minus count) is under k is suppressed, since the
 *     complement could be derived from the two;</li>
 * <li>secondary: in a column whose total is published, a lone suppressed cell could be derived as the total
 *     minus its siblings, so the smallest published sibling is suppressed too;</li>
 * </ol>
 * repeated until nothing changes. A share is published only when its count and base are.
 */
final class StatsTable {

    static final int HOUSEHOLDS = 0;
    static final int MEMBERS = 1;
    static final int COUNT = 2;
    static final int BASE = 3;
    static final String[] COLUMNS = {"households", "members", "count", "base"};

    final List<GeoUnit> groups;
    final boolean measured;
    /** [group][column]; the last row is the total. */
    final long[][] cells;
    final boolean[][] suppressed;

    StatsTable(List<GeoUnit> groups, boolean measured) {
        this.groups = groups;
        this.measured = measured;
        this.cells = new long[groups.size() + 1][COLUMNS.length];
        this.suppressed = new boolean[groups.size() + 1][COLUMNS.length];
    }

    int columns() {
        return measured ? COLUMNS.length : 2;
    }

    int totalRow() {
        return groups.size();
    }

    /** Fills the total row with the column sums. */
    void sumTotals() {
        long[] t = cells[totalRow()];
        java.util.Arrays.fill(t, 0);
        for (int g = 0; g < groups.size(); g++) {
            for (int c = 0; c < COLUMNS.length; c++) {
                t[c] += cells[g][c];
            }
        }
    }

    /** Applies the rules above for threshold {@code k}; returns the number of suppressed cells. */
    int suppress(int k) {
        int cols = columns();
        for (int r = 0; r <= totalRow(); r++) {
            for (int c = 0; c < cols; c++) {
                suppressed[r][c] = cells[r][c] < k;
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            if (measured) {
                for (int r = 0; r <= totalRow(); r++) {
                    if (!suppressed[r][COUNT] && !suppressed[r][BASE] && cells[r][BASE] - cells[r][COUNT] < k) {
                        suppressed[r][COUNT] = true;
                        changed = true;
                    }
                }
            }
            for (int c = 0; c < cols; c++) {
                changed |= secondary(c);
            }
        }
        int n = 0;
        for (boolean[] row : suppressed) {
            for (int c = 0; c < cols; c++) {
                n += row[c] ? 1 : 0;
            }
        }
        return n;
    }

    /** In column {@code c}, hides a second cell when exactly one group cell is hidden under a published total. */
    private boolean secondary(int c) {
        if (suppressed[totalRow()][c]) {
            return false;
        }
        int hidden = 0;
        int smallest = -1;
        for (int g = 0; g < groups.size(); g++) {
            if (suppressed[g][c]) {
                hidden++;
            } else if (smallest < 0 || cells[g][c] < cells[smallest][c]) {
                smallest = g;
            }
        }
        if (hidden != 1) {
            return false;
        }
        if (smallest < 0) {
            suppressed[totalRow()][c] = true;
        } else {
            suppressed[smallest][c] = true;
        }
        return true;
    }

    boolean published(int row, int c) {
        return !suppressed[row][c];
    }
}

package pk.gov.bisp.nser.server.stats;

import java.util.List;
import pk.gov.bisp.nser.core.geo.GeoUnit;

/**
 * Counts per group and their total in named columns, each with its cell key, perturbed by the cell-key method
 * ({@link CellKeyPerturbation}: the total is a cell of its own, not the sum of its perturbed parts), then
 * suppressed on the perturbed values alone:
 * <ol>
 * <li>primary: every cell under k is suppressed (zero included);</li>
 * <li>complement: a count whose complement (its base minus it) is under k is suppressed, since the complement
 *     could be derived from the two;</li>
 * <li>secondary: in a column whose total is published, a lone suppressed cell could be derived as the total
 *     minus its siblings, so the smallest published sibling is suppressed too; the same within a row for
 *     columns tied by an identity (a lone hidden one could be derived from the others);</li>
 * </ol>
 * repeated until nothing changes. The perturbation already turns such a derivation into a noisy guess; the
 * complement and secondary rules stay as a second line, and, deciding on published values only, disclose
 * nothing the values do not. A share is published only when its count and base are, and is their quotient.
 * {@code /v1/stats} and {@code /v1/stats/what-if} both publish through this table, so both protect alike.
 */
final class StatsTable {

    static final int HOUSEHOLDS = 0;
    static final int MEMBERS = 1;
    static final int COUNT = 2;
    static final int BASE = 3;
    static final String[] COLUMNS = {"households", "members", "count", "base"};
    private static final int[][] NONE = {};

    final List<GeoUnit> groups;
    final boolean measured;
    /** [group][column]; the last row is the total. True counts until {@link #perturb()}, published ones after. */
    final long[][] cells;
    /** [group][column]: the cell keys, sums of record keys (mod {@link CellKeyPerturbation#KEY_RANGE}). */
    final int[][] keys;
    final boolean[][] suppressed;
    private final String[] columns;
    /** {count, base} column pairs for the complement rule. */
    private final int[][] complements;
    /** Sets of columns tied by an identity within each row. */
    private final int[][] rowIdentities;

    /** The {@code /v1/stats} table: households and members, and with a measure its count and base. */
    StatsTable(List<GeoUnit> groups, boolean measured) {
        this(groups, measured ? COLUMNS : new String[] {COLUMNS[HOUSEHOLDS], COLUMNS[MEMBERS]},
                measured ? new int[][] {{COUNT, BASE}} : NONE, NONE, measured);
    }

    /** A table of other columns, with their complement pairs and row identities. */
    StatsTable(List<GeoUnit> groups, String[] columns, int[][] complements, int[][] rowIdentities) {
        this(groups, columns, complements, rowIdentities, false);
    }

    private StatsTable(List<GeoUnit> groups, String[] columns, int[][] complements, int[][] rowIdentities,
                       boolean measured) {
        this.groups = groups;
        this.columns = columns;
        this.complements = complements;
        this.rowIdentities = rowIdentities;
        this.measured = measured;
        this.cells = new long[groups.size() + 1][columns.length];
        this.keys = new int[groups.size() + 1][columns.length];
        this.suppressed = new boolean[groups.size() + 1][columns.length];
    }

    int columns() {
        return columns.length;
    }

    String columnName(int c) {
        return columns[c];
    }

    int totalRow() {
        return groups.size();
    }

    /** Fills the total row with the column sums of the true counts and of the cell keys. */
    void sumTotals() {
        long[] t = cells[totalRow()];
        int[] k = keys[totalRow()];
        java.util.Arrays.fill(t, 0);
        java.util.Arrays.fill(k, 0);
        for (int g = 0; g < groups.size(); g++) {
            for (int c = 0; c < columns.length; c++) {
                t[c] += cells[g][c];
                k[c] += keys[g][c];
            }
        }
    }

    /**
     * A table of the same groups and columns, true counts and cell keys: this one's, less {@code minus}'s, plus
     * {@code plus}'s (each null: none), group by group (the keys wrap as ints, which keeps them right modulo
     * {@link CellKeyPerturbation#KEY_RANGE}); its total row summed again. Before {@link #perturb()}.
     */
    StatsTable corrected(StatsTable minus, StatsTable plus) {
        StatsTable t = new StatsTable(groups, columns, complements, rowIdentities, measured);
        for (int g = 0; g < groups.size(); g++) {
            for (int c = 0; c < columns.length; c++) {
                t.cells[g][c] = cells[g][c] - (minus == null ? 0 : minus.cells[g][c])
                        + (plus == null ? 0 : plus.cells[g][c]);
                t.keys[g][c] = keys[g][c] - (minus == null ? 0 : minus.keys[g][c])
                        + (plus == null ? 0 : plus.keys[g][c]);
            }
        }
        t.sumTotals();
        return t;
    }

    /** Replaces every true count, totals included, by its published value; once. */
    void perturb() {
        for (int r = 0; r <= totalRow(); r++) {
            for (int c = 0; c < columns.length; c++) {
                cells[r][c] = CellKeyPerturbation.perturb(cells[r][c], keys[r][c]);
            }
        }
    }

    /** Applies the rules above for threshold {@code k} (after {@link #perturb()}); returns the suppressed cells. */
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
            for (int[] pair : complements) {
                for (int r = 0; r <= totalRow(); r++) {
                    int count = pair[0];
                    int base = pair[1];
                    if (!suppressed[r][count] && !suppressed[r][base] && cells[r][base] - cells[r][count] < k) {
                        suppressed[r][count] = true;
                        changed = true;
                    }
                }
            }
            for (int c = 0; c < cols; c++) {
                changed |= secondary(c);
            }
            for (int[] identity : rowIdentities) {
                for (int r = 0; r <= totalRow(); r++) {
                    changed |= secondaryInRow(r, identity);
                }
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

    /** In row {@code r}, hides a second cell of {@code identity} when exactly one of its cells is hidden. */
    private boolean secondaryInRow(int r, int[] identity) {
        int hidden = 0;
        int smallest = -1;
        for (int c : identity) {
            if (suppressed[r][c]) {
                hidden++;
            } else if (smallest < 0 || cells[r][c] < cells[r][smallest]) {
                smallest = c;
            }
        }
        if (hidden != 1 || smallest < 0) {
            return false;
        }
        suppressed[r][smallest] = true;
        return true;
    }

    boolean published(int row, int c) {
        return !suppressed[row][c];
    }

    /** Writes one row's extra fields after its cells (e.g. shares). */
    @FunctionalInterface
    interface RowExtras {
        void write(com.fasterxml.jackson.core.JsonGenerator g, StatsTable t, int row) throws java.io.IOException;
    }

    /**
     * Writes {@code "groups": [{code, name, cells..., extras...}], "total": {cells..., extras...}}; a suppressed
     * cell is null.
     */
    void writeGroups(com.fasterxml.jackson.core.JsonGenerator g, RowExtras extras) throws java.io.IOException {
        g.writeArrayFieldStart("groups");
        for (int i = 0; i < groups.size(); i++) {
            g.writeStartObject();
            g.writeNumberField("code", groups.get(i).code());
            g.writeStringField("name", groups.get(i).name());
            writeCells(g, i);
            extras.write(g, this, i);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("total");
        writeCells(g, totalRow());
        extras.write(g, this, totalRow());
        g.writeEndObject();
    }

    private void writeCells(com.fasterxml.jackson.core.JsonGenerator g, int i) throws java.io.IOException {
        for (int c = 0; c < columns(); c++) {
            g.writeFieldName(columnName(c));
            if (published(i, c)) {
                g.writeNumber(cells[i][c]);
            } else {
                g.writeNull();
            }
        }
    }
}

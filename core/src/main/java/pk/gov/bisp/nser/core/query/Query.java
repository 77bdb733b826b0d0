package pk.gov.bisp.nser.core.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;
import java.nio.charset.StandardCharsets;
import pk.gov.bisp.nser.core.index.PmtIndex;

/**
 * A parsed household filter: clauses combined with AND, and an inclusive PMT range in hundredths.
 *
 * @param clauses  address and dimension clauses, in a canonical order
 * @param pmtMin   lowest score in hundredths (0 = no lower bound)
 * @param pmtMax   highest score in hundredths ({@link PmtIndex#MAX_VALUE} = no upper bound)
 */
public record Query(List<Clause> clauses, int pmtMin, int pmtMax) {

    public static final Query ALL = new Query(List.of(), 0, PmtIndex.MAX_VALUE);

    public Query {
        List<Clause> sorted = new ArrayList<>(clauses);
        sorted.sort(Comparator.comparing(Clause::canonical));
        clauses = List.copyOf(sorted);
    }

    public boolean hasPmtRange() {
        return pmtMin > 0 || pmtMax < PmtIndex.MAX_VALUE;
    }

    /** This query with one more clause. */
    public Query and(Clause c) {
        List<Clause> more = new ArrayList<>(clauses);
        more.add(c);
        return new Query(more, pmtMin, pmtMax);
    }

    /** This query narrowed to the intersection with another's PMT range and clauses. */
    public Query and(Query other) {
        List<Clause> more = new ArrayList<>(clauses);
        more.addAll(other.clauses);
        return new Query(more, Math.max(pmtMin, other.pmtMin), Math.min(pmtMax, other.pmtMax));
    }

    public String canonical() {
        StringBuilder b = new StringBuilder();
        for (Clause c : clauses) {
            b.append(c.canonical()).append('&');
        }
        return b.append("pmt=").append(pmtMin).append("..").append(pmtMax).toString();
    }

    /** A 32-bit fingerprint of {@link #canonical()}. */
    public int fingerprint() {
        CRC32C crc = new CRC32C();
        crc.update(canonical().getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }
}

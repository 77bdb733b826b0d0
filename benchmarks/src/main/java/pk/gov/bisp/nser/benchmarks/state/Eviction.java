package pk.gov.bisp.nser.benchmarks.state;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What a server request does around a lookup (Netty's buffers, the kernel's socket copies, the request's garbage)
 * pushes what the lookup touched out of the core's caches before the next one, which a loop of lookups alone
 * never does. {@link #run} writes {@code evictKb} kilobytes of a 64 MB array, one byte per cache line, a new part
 * each time; a benchmark calls it after each operation, and a benchmark of {@link #run} alone gives what to
 * subtract. Default 0: the cost with everything in cache.
 */
@State(Scope.Thread)
public class Eviction {

    private static final int MASK = (64 << 20) - 1;

    /** Kilobytes written after each operation. */
    @Param({"0"})
    public int evictKb;

    private final byte[] sweep = new byte[MASK + 1];
    private int at;

    /** Writes {@link #evictKb} KB from where the last call stopped; returns a sum, for the benchmark to return. */
    public int run() {
        byte[] b = sweep;
        int p = at;
        int sum = 0;
        for (int n = evictKb << 4; n > 0; n--) {
            sum += ++b[p];
            p = (p + 64) & MASK;
        }
        at = p;
        return sum;
    }
}

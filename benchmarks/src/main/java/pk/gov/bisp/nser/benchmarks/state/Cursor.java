package pk.gov.bisp.nser.benchmarks.state;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** A per-thread position over the sampled inputs, so each call picks the next one. */
@State(Scope.Thread)
public class Cursor {

    private int i;

    public int next() {
        i = (i + 1) & (SnapshotState.SAMPLES - 1);
        return i;
    }
}

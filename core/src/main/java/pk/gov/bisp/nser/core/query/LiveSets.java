package pk.gov.bisp.nser.core.query;

import java.util.Set;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;

/**
 * Household sets kept outside the snapshot and changed while it is served (a partner programme's enrolled
 * households), filterable like a snapshot dimension: their values join the {@code programme} dimension, and their
 * bitmaps are looked up by the same name a snapshot bitmap would have. An implementation publishes each change as a
 * new bitmap (never changing one handed out), so a query sees every set whole, before or after a change.
 */
public interface LiveSets {

    /** No live sets: the snapshot's dimensions only. */
    LiveSets NONE = new LiveSets() {
        @Override
        public Set<String> programmes() {
            return Set.of();
        }

        @Override
        public ImmutableRoaringBitmap bitmap(String name) {
            return null;
        }
    };

    /**
     * The households in any of {@link #programmes()}' sets (the union of them all, published with them), or null when
     * the implementation does not keep it. The query engine uses it for a clause naming every partner programme.
     */
    default ImmutableRoaringBitmap any() {
        return null;
    }

    /** The live values of the {@code programme} dimension (partner programme ids), never {@code uct} or {@code cct}. */
    Set<String> programmes();

    /**
     * The current households (ordinals) of the bitmap {@code name} (a {@code Dimension.bitmapName}), empty for a live
     * value nobody holds, or null when the name is not one of these sets.
     */
    ImmutableRoaringBitmap bitmap(String name);
}

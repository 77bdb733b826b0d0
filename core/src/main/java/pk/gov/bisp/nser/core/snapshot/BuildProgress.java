package pk.gov.bisp.nser.core.snapshot;

/** Reports the steps of a long build to whoever shows them; {@link #NONE} shows nothing. */
public interface BuildProgress {

    BuildProgress NONE = new BuildProgress() {
        @Override
        public void start(String step, String unit, long total) {
        }

        @Override
        public void add(long n) {
        }

        @Override
        public void done() {
        }
    };

    /** A new step of {@code total} units begins. */
    void start(String step, String unit, long total);

    /** {@code n} more units of the current step are done. */
    void add(long n);

    /** The current step is complete. */
    void done();
}

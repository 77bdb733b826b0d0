package pk.gov.bisp.nser.builder.importer;

import java.io.IOException;
import java.nio.file.Path;

/** Turns a write that failed for want of space into one clear error naming the directory. */
final class DiskFull {

    private DiskFull() {
    }

    /** {@code e}, or, when a cause in its chain is a full disk, an IOException that says so and where. */
    static Exception explain(Exception e, Path dir) {
        // an IOException, or Chronicle Map's IllegalStateException when it cannot reserve a map file's space
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded")
                    || m.contains("Not enough space to fallocate"))) { // the last: Chronicle Map's own words
                IOException full = new IOException("no space left on the device of " + dir + ": an import writes "
                        + "its temporary runs and the snapshot there (IMPORT-FORMAT.md says how much it needs); "
                        + "nothing was written to the output and the temporary files were removed");
                full.initCause(e);
                return full;
            }
        }
        return e;
    }
}

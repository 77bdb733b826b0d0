package pk.gov.bisp.nser.core.format;

import java.nio.file.Path;

/** A snapshot file that is missing, of an unknown format or version, truncated or damaged. Names the file. */
public final class SnapshotCorruptException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String file;

    public SnapshotCorruptException(Path file, String reason) {
        this(file, reason, null);
    }

    public SnapshotCorruptException(Path file, String reason, Throwable cause) {
        super("snapshot file " + file + ": " + reason, cause);
        this.file = file.toString();
    }

    /** The damaged file. */
    public String file() {
        return file;
    }
}

package pk.gov.bisp.nser.builder.importer;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One spilled run, read entry by entry during a merge ({@link RecordRuns}, {@link KeyRuns}). */
abstract class RunFile implements AutoCloseable {

    final DataInputStream in;

    RunFile(Path run) throws IOException {
        in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
    }

    /** Reads the next entry; false at the end of the run. */
    abstract boolean next() throws IOException;

    @Override
    public void close() throws IOException {
        in.close();
    }
}

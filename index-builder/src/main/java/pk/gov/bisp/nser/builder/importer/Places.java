package pk.gov.bisp.nser.builder.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Where each household of an import starts (input and line), by seq, in a file of 8 bytes per household: written in
 * seq order while reading, read back only for the few households a duplicate names. Keeps the heap free of a
 * per-household table.
 */
final class Places implements AutoCloseable {

    private final FileChannel file;
    private final ByteBuffer out = ByteBuffer.allocate(1 << 16);
    private final List<ImportInput> inputs;
    private long written;

    Places(Path path, List<ImportInput> inputs) throws IOException {
        this.file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.inputs = inputs;
    }

    /** Records the place of household {@code seq}, which must be the next one. */
    void add(long seq, int input, int line) throws IOException {
        if (seq != written) {
            throw new IllegalStateException("place of household " + seq + " given out of order (expected " + written
                    + ")");
        }
        if (!out.hasRemaining()) {
            flush();
        }
        out.putInt(input).putInt(line);
        written++;
    }

    private void flush() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            file.write(out, file.size());
        }
        out.clear();
    }

    /** {@code file:line} of household {@code seq}. */
    String of(long seq) throws IOException {
        flush();
        ByteBuffer b = ByteBuffer.allocate(8);
        long at = seq * 8;
        while (b.hasRemaining()) {
            if (file.read(b, at + b.position()) < 0) {
                throw new IOException("no place recorded for household " + seq);
            }
        }
        b.flip();
        return inputs.get(b.getInt()).name() + ":" + b.getInt();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}

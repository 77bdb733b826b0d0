package pk.gov.bisp.nser.builder.importer;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * One input of an import: a file, or standard input ({@code -}), read as UTF-8, plain or gzip-compressed. Gzip is
 * recognised by its content (the magic bytes 1f 8b), whatever the name. The bytes read from the underlying file
 * (compressed, for a gzip file) are counted into {@code read}, for progress against the files' sizes.
 */
public record ImportInput(String name, Path path) {

    /** The name {@code -} for standard input. */
    public static final String STDIN = "-";

    public static ImportInput of(String arg) {
        return arg.equals(STDIN) ? new ImportInput(STDIN, null) : new ImportInput(arg, Path.of(arg));
    }

    public boolean stdin() {
        return path == null;
    }

    /** The file's size in bytes, or 0 for standard input. */
    public long size() throws IOException {
        return path == null ? 0 : Files.size(path);
    }

    /** A fresh reader over the whole input (a file may be opened again; standard input only once). */
    public BufferedReader open(AtomicLong read) throws IOException {
        // malformed UTF-8 is an error, not a silent U+FFFD in a name
        return new BufferedReader(new InputStreamReader(openBytes(read), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)), 1 << 16);
    }

    /** The whole input's bytes, decompressed if it is gzip. */
    public InputStream openBytes(AtomicLong read) throws IOException {
        InputStream raw = path == null ? System.in : Files.newInputStream(path);
        BufferedInputStream in = new BufferedInputStream(new Counting(raw, read), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** Counts the bytes read through it. */
    private static final class Counting extends FilterInputStream {
        private final AtomicLong read;

        Counting(InputStream in, AtomicLong read) {
            super(in);
            this.read = read;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                read.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                read.addAndGet(n);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (in != System.in) {
                super.close();
            }
        }
    }
}

package pk.gov.bisp.nser.core.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import pk.gov.bisp.nser.core.format.Checksums;

/** Segment file names ({@code journal-%016d.seg}, by first sequence), listing and creation. */
final class SegmentFiles {

    private static final Pattern NAME = Pattern.compile("journal-(\\d{16})\\.seg");

    /** A segment file and the first sequence its name gives. */
    record Segment(Path file, long firstSequence) {
    }

    private SegmentFiles() {
    }

    static String name(long firstSequence) {
        return String.format("journal-%016d.seg", firstSequence);
    }

    /** The segments of a directory in sequence order; other files are ignored. */
    static List<Segment> list(Path dir) throws IOException {
        List<Segment> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches() && Files.isRegularFile(f)) {
                    out.add(new Segment(f, Long.parseLong(m.group(1))));
                }
            }
        }
        out.sort(Comparator.comparingLong(Segment::firstSequence));
        return out;
    }

    /**
     * Creates (or re-creates, empty) the segment for {@code firstSequence}: header written and fsynced, the
     * directory entry fsynced; the channel is positioned after the header.
     */
    static FileChannel create(Path dir, long firstSequence) throws IOException {
        Path file = dir.resolve(name(firstSequence));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            writeHeader(ch, firstSequence);
            Checksums.fsyncDirectory(dir);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Writes the header at 0 into an empty channel and fsyncs it. */
    static void writeHeader(FileChannel ch, long firstSequence) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(JournalLayout.SEGMENT_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        JournalLayout.putHeader(h, firstSequence, new CRC32C());
        ch.position(0);
        while (h.hasRemaining()) {
            ch.write(h);
        }
        ch.force(true);
    }
}

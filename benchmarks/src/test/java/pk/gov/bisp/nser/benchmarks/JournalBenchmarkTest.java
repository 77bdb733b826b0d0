package pk.gov.bisp.nser.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.benchmarks.state.Appender;
import pk.gov.bisp.nser.benchmarks.state.JournalState;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.core.journal.ReadReport;

/** What the journal benchmark appends is what reads back, in sequence order; the trial's directory goes away. */
class JournalBenchmarkTest {

    @Test
    void appendedRecordsShouldReadBackFromTheJournal() throws Exception {
        for (boolean drain : new boolean[] {false, true}) {
            appendAndReadBack(drain);
        }
    }

    private static void appendAndReadBack(boolean drain) throws Exception {
        for (long interval : new long[] {0, 2_000}) {
            JournalState s = new JournalState();
            s.fsyncIntervalMicros = interval;
            s.open();
            JournalBenchmark b = new JournalBenchmark();
            List<Thread> threads = new ArrayList<>();
            long[][] sequences = new long[3][];
            for (int t = 0; t < 3; t++) {
                int id = t;
                threads.add(new Thread(() -> {
                    Appender a = new Appender();
                    sequences[id] = new long[200];
                    for (int i = 0; i < 200; i++) {
                        sequences[id][i] = drain ? b.appendDrainUntilWritten(s, a) : b.appendUntilWritten(s, a);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            long[] all = Arrays.stream(sequences).flatMapToLong(Arrays::stream).sorted().toArray();
            assertArrayEquals(java.util.stream.LongStream.rangeClosed(1, 600).toArray(), all);

            List<Long> read = new ArrayList<>();
            byte[] expected = Appender.record();
            ReadReport r = JournalReader.read(s.dir, (seq, kind, data, off, len) -> {
                assertEquals(Appender.KIND, kind);
                assertArrayEquals(expected, Arrays.copyOfRange(data, off, off + len));
                read.add(seq);
            });
            assertEquals(600, r.records());
            assertEquals(java.util.stream.LongStream.rangeClosed(1, 600).boxed().toList(), read);
            s.close();
            assertFalse(Files.exists(s.dir));
        }
    }
}

package pk.gov.bisp.nser.builder.importer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import pk.gov.bisp.nser.builder.Progress;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.SnapshotWriter;

/**
 * An import in bounded memory, in three phases (IMPORT-FORMAT.md, "Loading a national registry"):
 * <ol>
 * <li><b>read</b>: one thread cuts the inputs into households; every core parses, validates, encodes and scores
 *     them; the main thread, taking them back in input order, spills the records in runs sorted by (union council,
 *     seq) and the household ids and CNICs in sorted runs, all into a temporary directory beside {@code --out};</li>
 * <li><b>unique</b>: the id and CNIC runs are merged; of the households that share an id or a CNIC, the first in
 *     input order is kept and the others are rejected, each naming the place of the first;</li>
 * <li><b>merge</b>: the record runs are merged into the snapshot writer, in geographic order.</li>
 * </ol>
 * The heap holds one run of each kind and the string dictionary, whatever the input's size. A failure, or an
 * interrupt, leaves nothing at {@code --out} and removes the temporary files.
 */
public final class StreamingImport {

    /** What to import and how. */
    public record Options(List<ImportInput> inputs, ImportFormat format, Path out, Geography geography,
                          PmtModel model, boolean keepScores, boolean skipInvalid, int maxErrors, Path rejects,
                          LocalDate asOf, boolean force, int threads) {
    }

    /** The outcome: the snapshot's manifest, or null when none was written (and why, in the error output). */
    public record Result(Manifest manifest, long households, long rejected) {
    }

    private final Options o;
    private final PrintStream err;
    private final Path tmp;
    private final StringDictionary dictionary = StringDictionary.empty();
    private final AtomicLong bytesRead = new AtomicLong();
    private final long[] unitsPerInput;
    private final RecordRuns records;
    private final KeyRuns ids;
    private final KeyRuns cnics;
    private final Places places;
    private final Rejects rejects;
    /** Households rejected in the unique phase, by seq, with the reason. */
    private final Map<Long, String> duplicates = new TreeMap<>();
    private volatile SnapshotWriter writer;
    /** Households taken back from the parsers so far (the read phase's progress shows their rate). */
    private long taken;

    private StreamingImport(Options o, PrintStream err, Path tmp) throws IOException {
        this.o = o;
        this.err = err;
        this.tmp = tmp;
        this.unitsPerInput = new long[o.inputs().size()];
        long heap = Runtime.getRuntime().maxMemory();
        int runBytes = (int) Math.max(4L << 20, Math.min(256L << 20, heap / 10));
        this.records = new RecordRuns(tmp, runBytes);
        this.ids = new KeyRuns(tmp, "ids", runBytes / 64);
        this.cnics = new KeyRuns(tmp, "cnics", runBytes / 32);
        this.places = new Places(tmp.resolve("places.bin"), o.inputs());
        this.rejects = new Rejects(o.inputs(), err, o.maxErrors(), o.rejects());
    }

    /** Runs the import; messages about rejected households and the outcome go to {@code err}. */
    public static Result run(Options o, PrintStream err) throws Exception {
        Path out = o.out().toAbsolutePath().normalize();
        Files.createDirectories(out.getParent());
        if (Files.exists(out) && !o.force()) {
            throw new IOException("output " + out + " already exists (remove it or pass --force)");
        }
        Path tmp = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".import-");
        StreamingImport imp = null;
        Thread cleanup = null;
        try {
            imp = new StreamingImport(o, err, tmp);
            StreamingImport self = imp;
            cleanup = new Thread(() -> self.cleanUp(null), "nser-import-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup); // an interrupted import (Ctrl-C, kill) leaves nothing
            return imp.phases();
        } catch (IOException | RuntimeException e) {
            throw DiskFull.explain(e, out.getParent());
        } finally {
            if (imp != null) {
                imp.cleanUp(cleanup);
            } else {
                TempFiles.deleteTree(tmp);
            }
        }
    }

    private Result phases() throws Exception {
        read();
        unique();
        long rejected = rejects.count();
        rejects.summarise();
        long households = records.households() - duplicates.size();
        String names = String.join(", ", o.inputs().stream().map(ImportInput::name).toList());
        if (rejected > 0 && !o.skipInvalid()) {
            err.println(rejected + " invalid household(s); no snapshot written (--skip-invalid leaves them out)");
            return new Result(null, households, rejected);
        }
        if (households == 0) {
            err.println("no valid households in " + names + "; no snapshot written");
            return new Result(null, 0, rejected);
        }
        if (rejected > 0) {
            err.println("skipped " + rejected + " invalid household(s)");
        }
        return new Result(merge(households, names), households, rejected);
    }

    /** Phase 1: read, parse on every core, spill. */
    private void read() throws Exception {
        long total = 0;
        for (ImportInput in : o.inputs()) {
            total += in.size();
        }
        Progress progress = new Progress("read + parse", "bytes", total).also("households", () -> taken);
        new ParsePhase(o.inputs(), o.format(), o.threads(), () -> new UnitParser(o.geography(), dictionary, o.model(),
                o.keepScores()), bytesRead).run(this::take, () -> progress.set(bytesRead.get()));
        progress.finish();
    }

    /** One household back from the parsers, in input order. */
    private void take(UnitParser.Outcome outcome) throws IOException {
        Unit u = outcome.unit();
        taken++;
        places.add(u.seq(), u.file(), u.line());
        unitsPerInput[u.file()]++;
        if (!outcome.accepted()) {
            rejects.reject(u, outcome.reason());
            return;
        }
        records.add(outcome.unionCouncil(), u.seq(), outcome.record());
        ids.add(outcome.householdId(), u.seq());
        for (long c : outcome.cnics()) {
            cnics.add(c, u.seq());
        }
    }

    /** Phase 2: ids and CNICs unique across the import; duplicates rejected with both places. */
    private void unique() throws Exception {
        Progress progress = new Progress("unique ids + cnics", "keys", ids.total() + cnics.total());
        ids.duplicates((id, seqs) -> {
            for (int i = 1; i < seqs.length; i++) {
                duplicates.put(seqs[i], "household_id: " + id + " already used at " + places.of(seqs[0]));
            }
        }, progress::add);
        List<long[]> conflicts = new ArrayList<>(); // {seq, cnic}, of CNICs held by more than one household
        cnics.duplicates((cnic, seqs) -> {
            List<long[]> held = new ArrayList<>();
            for (long s : seqs) {
                if (!duplicates.containsKey(s)) {
                    held.add(new long[] {s, cnic});
                }
            }
            if (held.size() > 1) {
                conflicts.addAll(held);
            }
        }, progress::add);
        progress.finish();
        new CnicConflicts(conflicts).resolve((seq, cnic, owner) -> duplicates.put(seq, "cnic: "
                + pk.gov.bisp.nser.core.cnic.Cnic.format(cnic) + " already belongs to the household at "
                + places.of(owner)));
        if (!duplicates.isEmpty()) {
            rejectDuplicates();
        }
    }

    /** Writes the households rejected as duplicates, with their original lines read again from their files. */
    private void rejectDuplicates() throws Exception {
        long first = 0;
        UnitReader again = new UnitReader(o.inputs(), o.format(), new AtomicLong());
        for (int f = 0; f < o.inputs().size(); f++) {
            long from = first;
            long to = first + unitsPerInput[f];
            first = to;
            Map<Long, String> here = ((TreeMap<Long, String>) duplicates).subMap(from, to);
            if (here.isEmpty()) {
                continue;
            }
            if (o.inputs().get(f).stdin()) {
                for (Map.Entry<Long, String> d : here.entrySet()) {
                    rejects.rejectUnread(places.of(d.getKey()), d.getValue());
                }
                continue;
            }
            again.readAgain(f, from, u -> {
                String why = here.get(u.seq());
                if (why != null) {
                    rejects.reject(u, why);
                }
            });
        }
    }

    /** Phase 3: the runs merged into the snapshot, in geographic order. */
    private Manifest merge(long households, String names) throws Exception {
        Map<String, String> build = new LinkedHashMap<>();
        build.put("source", "import");
        build.put("file", names);
        build.put("scores", o.keepScores() ? "kept from input" : "computed by model");
        SnapshotWriter.Options wo = new SnapshotWriter.Options(households, cnics.total() + 1_000,
                (double) records.recordBytes() / records.households() + 24, o.asOf(), build, o.force());
        writer = o.keepScores() ? SnapshotWriter.create(o.out(), wo, o.geography(), dictionary, "imported", 0)
                : SnapshotWriter.create(o.out(), wo, o.geography(), dictionary, o.model());
        Progress progress = new Progress("merge into snapshot", "households", households);
        HouseholdRecord r = new HouseholdRecord();
        long[] done = new long[1];
        records.merge((uc, seq, record, length) -> {
            if (!duplicates.containsKey(seq)) {
                writer.append(r.wrap(record, length));
                if (++done[0] % 4_096 == 0) {
                    progress.set(done[0]);
                }
            }
        });
        progress.finish();
        return writer.finish(Progress.steps());
    }

    /** Closes and deletes what this import made, except a finished snapshot. */
    private synchronized void cleanUp(Thread hook) {
        try {
            places.close();
            rejects.close();
        } catch (IOException e) {
            err.println("warning: " + e.getMessage());
        }
        SnapshotWriter w = writer;
        if (w != null) {
            try {
                w.close(); // deletes its building directory unless finished
            } catch (IOException e) {
                err.println("warning: " + e.getMessage());
            }
        }
        TempFiles.deleteTree(tmp);
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it does the same
            }
        }
    }
}

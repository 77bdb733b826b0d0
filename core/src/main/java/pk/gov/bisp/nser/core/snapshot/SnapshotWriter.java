package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.format.Checksums;
import pk.gov.bisp.nser.core.format.DurableFiles;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.index.BitmapIndexWriter;
import pk.gov.bisp.nser.core.index.HouseholdIndexer;
import pk.gov.bisp.nser.core.index.PmtIndex;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;

/**
 * Builds a snapshot. Households are appended in geographic order (union council code ascending), each getting
 * the next ordinal, so every geography unit is one contiguous run. Everything is written into a temporary
 * directory beside the target and renamed into place by {@link #finish()} only when complete; {@link #close()}
 * without {@code finish} deletes it. The two Chronicle Maps are filled in memory when there is room and copied
 * into the snapshot once ({@link BuildScratch}).
 */
public final class SnapshotWriter implements AutoCloseable {

    /**
     * @param expectedHouseholds sizing for the households map
     * @param expectedIds        sizing for the CNIC index
     * @param averageRecordBytes sizing for the households map values
     * @param asOf               date ages are taken on for age-based bitmaps
     * @param replace            replace an existing snapshot at the target
     */
    public record Options(long expectedHouseholds, long expectedIds, double averageRecordBytes, LocalDate asOf,
                          Map<String, String> build, boolean replace) {
    }

    private final Path target;
    private final Path tmp;
    private final Options options;
    private final Geography geography;
    private final StringDictionary dictionary;
    private final String modelName;
    private final int modelVersion;
    private final byte[] modelJson;
    private final PmtIndicatorColumn.Writer indicators;
    private final PmtInputs inputs = new PmtInputs();
    private final BuildScratch scratch;
    private final HouseholdStore households;
    private final CnicIndex cnics;
    private final HouseholdIndexer indexer;
    private final PmtIndex.Writer pmt = new PmtIndex.Writer();
    private final HouseholdRecord tailRecord = new HouseholdRecord();
    private final AppendTail tail;
    private long[] householdIds = new long[1024];
    private int count;
    private long members;
    private long ids;
    private int lastUc = Integer.MIN_VALUE;
    private boolean anyOrder;
    private boolean finished;

    private SnapshotWriter(Path target, Options options, Geography geography, StringDictionary dictionary,
                           String modelName, int modelVersion, byte[] modelJson) throws IOException {
        this.target = target.toAbsolutePath().normalize();
        if (Files.exists(this.target) && !options.replace()) {
            throw new IOException("output " + this.target + " already exists (remove it or pass --force)");
        }
        Path parent = this.target.getParent();
        Files.createDirectories(parent);
        this.tmp = Files.createTempDirectory(parent, "." + this.target.getFileName() + ".building-");
        this.options = options;
        this.geography = geography;
        this.dictionary = dictionary;
        this.modelName = modelName;
        this.modelVersion = modelVersion;
        this.modelJson = modelJson;
        BuildScratch sc = null;
        HouseholdStore hs = null;
        PmtIndicatorColumn.Writer iw = null;
        try {
            iw = PmtIndicatorColumn.Writer.create(tmp.resolve(SnapshotFiles.PMT_INDICATORS));
            sc = BuildScratch.open(tmp.getFileName().toString());
            // the CNIC index first: its keys are the most scattered, so it gains the most from scratch
            // (sizes measured nationally: 28 bytes per id, 1.28 times the average record per household)
            this.cnics = new CnicIndex(sc.create(SnapshotFiles.CNIC_INDEX, tmp, options.expectedIds() * 32,
                    f -> ChronicleMaps.createCnicIndex(f, options.expectedIds())));
            long households = (long) (options.expectedHouseholds() * (options.averageRecordBytes() * 1.4 + 16));
            hs = new HouseholdStore(sc.create(SnapshotFiles.HOUSEHOLDS, tmp, households,
                    f -> ChronicleMaps.createHouseholds(f, options.expectedHouseholds(), options.averageRecordBytes())));
        } catch (IOException | RuntimeException e) {
            if (hs != null) {
                hs.close();
            }
            if (iw != null) {
                iw.close();
            }
            if (sc != null) {
                sc.close();
            }
            deleteTree(tmp);
            throw e;
        }
        this.scratch = sc;
        this.households = hs;
        this.indicators = iw;
        this.indexer = new HouseholdIndexer(geography, options.asOf());
        this.tail = new AppendTail(this::appendTail);
    }

    /** A writer whose records are scored by {@code model} (named in the manifest, kept as pmt-model.json). */
    public static SnapshotWriter create(Path target, Options options, Geography geography,
                                        StringDictionary dictionary, PmtModel model) throws IOException {
        return new SnapshotWriter(target, options, geography, dictionary, model.name(), model.version(),
                model.json());
    }

    /** A writer whose records carry scores from elsewhere, recorded in the manifest as this model. */
    public static SnapshotWriter create(Path target, Options options, Geography geography,
                                        StringDictionary dictionary, String modelName, int modelVersion)
            throws IOException {
        return new SnapshotWriter(target, options, geography, dictionary, modelName, modelVersion, null);
    }

    /**
     * Lets records come in any geographic order (an online fold keeps every household's ordinal, {@link
     * SnapshotFold}); the union council must still be known. Call before the first {@link #append}.
     */
    public SnapshotWriter inAnyOrder() {
        anyOrder = true;
        return this;
    }

    /**
     * Appends a complete, scored record and returns its ordinal. Throws {@link IllegalArgumentException} for a
     * record out of geographic order or with an unknown union council, and {@link DuplicateCnicException}; after
     * either the writer can only be closed. The record's other work (households map, bitmaps, PMT index and
     * column) runs on another thread ({@link AppendTail}); a failure there (a full map, a disk error) is thrown
     * by a later {@code append} or by {@link #finish()}.
     */
    public int append(HouseholdRecord r) {
        int uc = r.unionCouncil();
        if (uc < lastUc && !anyOrder) {
            throw new IllegalArgumentException("household " + r.householdId() + " with union council " + uc
                    + " comes after union council " + lastUc + ": records must be in geographic order");
        }
        if (uc != lastUc && geography.find(GeoLevel.UNION_COUNCIL, uc) == null) {
            throw new IllegalArgumentException("unknown union council code=" + uc);
        }
        lastUc = uc;
        int ordinal = count;
        for (int i = 0, n = r.memberCount(); i < n; i++) {
            long cnic = r.cnic(i);
            if (cnic != 0) {
                int prev = cnics.putIfAbsent(cnic, ordinal);
                if (prev >= 0) {
                    throw new DuplicateCnicException(cnic, r.householdId(),
                            prev == ordinal ? r.householdId() : householdIds[prev]);
                }
                ids++;
            }
        }
        tail.submit(r.toByteArray());
        if (count == householdIds.length) {
            householdIds = Arrays.copyOf(householdIds, count * 2);
        }
        householdIds[count++] = r.householdId();
        members += r.memberCount();
        return ordinal;
    }

    /** The tail of an append ({@link AppendTail}), on its own thread: everything that cannot refuse a record. */
    private void appendTail(int ordinal, byte[] record) throws IOException {
        HouseholdRecord r = tailRecord.wrap(record, record.length);
        indexer.add(ordinal, r);
        households.put(ordinal, record);
        pmt.add(r.pmtHundredths());
        indicators.append(inputs.read(r));
    }

    /** Writes the remaining files and the manifest, then renames the snapshot into place. */
    public Manifest finish() throws IOException {
        return finish(BuildProgress.NONE);
    }

    /**
     * As {@link #finish()}, reporting its two steps to {@code progress}: the indexes (the files written after the
     * last record, counted by file) and the copy, fsync and checksums (by byte; the long one at national scale).
     */
    public Manifest finish(BuildProgress progress) throws IOException {
        tail.finish();
        households.close();
        cnics.close();
        progress.start("indexes", "files", 6);
        int[] ordinals = new int[count];
        Arrays.setAll(ordinals, i -> i);
        HouseholdIdIndex.write(tmp.resolve(SnapshotFiles.HOUSEHOLD_IDS), householdIds, ordinals, count);
        progress.add(1);
        DictionaryFile.write(tmp.resolve(SnapshotFiles.DICTIONARY), dictionary);
        progress.add(1);
        BitmapIndexWriter bitmaps = new BitmapIndexWriter();
        indexer.bitmaps().forEach(bitmaps::put);
        bitmaps.write(tmp.resolve(SnapshotFiles.BITMAPS), count);
        progress.add(1);
        pmt.write(tmp.resolve(SnapshotFiles.PMT_INDEX));
        progress.add(1);
        GeographyFile.write(tmp.resolve(SnapshotFiles.GEOGRAPHY), geography);
        progress.add(1);
        indicators.finish(count);
        progress.done();
        List<String> names = new ArrayList<>(SnapshotFiles.DATA_FILES);
        names.add(SnapshotFiles.PMT_INDICATORS);
        if (modelJson != null) {
            DurableFiles.writeNew(tmp.resolve(SnapshotFiles.PMT_MODEL), modelJson);
            names.add(SnapshotFiles.PMT_MODEL);
        }
        long total = 0;
        for (String name : names) {
            total += scratch.holds(name) ? scratch.size(name) : Files.size(tmp.resolve(name));
        }
        progress.start("copy, fsync + checksums", "bytes", total);
        Map<String, Manifest.FileEntry> files = new LinkedHashMap<>();
        for (String name : names) {
            Path f = tmp.resolve(name);
            String crc;
            if (scratch.holds(name)) {
                crc = scratch.moveInto(name, f, progress::add);
            } else {
                Checksums.fsync(f);
                crc = Checksums.crc32c(f, progress::add);
            }
            files.put(name, new Manifest.FileEntry(Files.size(f), crc));
        }
        scratch.close();
        progress.done();
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, RecordLayout.VERSION, Instant.now().toString(),
                count, members, ids, options.asOf(), modelName, modelVersion, options.build(), files);
        DurableFiles.writeNew(tmp.resolve(SnapshotFiles.MANIFEST), manifest.toJson());
        Checksums.fsyncDirectory(tmp);
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        Checksums.fsyncDirectory(target.getParent());
        finished = true;
        if (old != null) {
            deleteTree(old);
        }
        return manifest;
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            tail.close();
            households.close();
            cnics.close();
            indicators.close();
            scratch.close();
            deleteTree(tmp);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

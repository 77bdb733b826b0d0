package pk.gov.bisp.nser.builder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import pk.gov.bisp.nser.builder.cli.GenerateCommand;
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.stats.Marginals;

/** Generated snapshots shared by the tests of one JVM (built once, deleted at exit). */
public final class TestRegistries {

    private static final Map<String, Path> BUILT = new HashMap<>();
    private static Path root;

    private TestRegistries() {
    }

    /** A generated snapshot of {@code households} for {@code seed}, built on first use. */
    public static synchronized Path generated(long households, long seed) throws Exception {
        String key = households + "-" + seed;
        Path p = BUILT.get(key);
        if (p == null) {
            p = build(households, seed, dir().resolve("gen-" + key));
            BUILT.put(key, p);
        }
        return p;
    }

    /** A freshly built snapshot in {@code out} (not shared). */
    public static Path build(long households, long seed, Path out) throws Exception {
        GenerateCommand.generate(new SyntheticRegistry(households, seed, Marginals.builtIn()), PmtModel.builtIn(),
                out, GenerateCommand.DEFAULT_AS_OF, false, seed);
        return out;
    }

    public static synchronized Path dir() throws IOException {
        if (root == null) {
            root = Files.createTempDirectory("nser-test-registries");
            Path r = root;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(r)));
        }
        return root;
    }

    static void delete(Path dir) {
        try (Stream<Path> w = Files.walk(dir)) {
            w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}

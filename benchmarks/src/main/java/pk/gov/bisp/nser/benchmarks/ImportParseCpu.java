package pk.gov.bisp.nser.benchmarks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.stats.Marginals;

/**
 * {@link ImportParseBenchmark}'s comparison by thread CPU time and bytes allocated instead of wall time, for a
 * machine shared with other work (where JMH's wall-clock scores scatter): one thread parses 4,096 exported
 * households through the tree, through the streaming path, and through Jackson's tokens alone (the floor: no field
 * read), the three interleaved in blocks so they meet the same load; the first 5 rounds are warm-up.
 * {@code java -cp benchmarks/target/benchmarks.jar pk.gov.bisp.nser.benchmarks.ImportParseCpu [ROUNDS]}.
 */
public final class ImportParseCpu {

    private ImportParseCpu() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        List<byte[]> lines = new ArrayList<>();
        new SyntheticRegistry(4_096, 1, Marginals.builtIn()).run(h -> lines.add(HouseholdJson.toJson(h).toString()
                .getBytes(StandardCharsets.UTF_8)));
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int[] pmt = new int[1];
        long[] cpu = new long[3];
        long[] alloc = new long[3];
        long n = 0;
        for (int round = 0; round < rounds; round++) {
            for (int which = 0; which < 3; which++) {
                long c0 = t.getCurrentThreadCpuTime();
                long a0 = t.getThreadAllocatedBytes(id);
                for (byte[] line : lines) {
                    switch (which) {
                        case 0 -> HouseholdJson.parse(HouseholdJson.JSON.readTree(line), pmt);
                        case 1 -> HouseholdJson.parse(line, pmt);
                        default -> tokens(line);
                    }
                }
                if (round >= 5) {
                    cpu[which] += t.getCurrentThreadCpuTime() - c0;
                    alloc[which] += t.getThreadAllocatedBytes(id) - a0;
                }
            }
            if (round >= 5) {
                n += lines.size();
            }
        }
        System.out.printf("%d households each, %d bytes a line on average%n", n,
                lines.stream().mapToLong(l -> l.length).sum() / lines.size());
        System.out.printf("tree      %6.2f us CPU  %,7d B a household%n", cpu[0] / 1e3 / n, alloc[0] / n);
        System.out.printf("streamed  %6.2f us CPU  %,7d B a household  (%.2f of the tree's CPU)%n", cpu[1] / 1e3 / n,
                alloc[1] / n, (double) cpu[1] / cpu[0]);
        System.out.printf("tokens    %6.2f us CPU  %,7d B a household%n", cpu[2] / 1e3 / n, alloc[2] / n);
    }

    private static void tokens(byte[] line) throws java.io.IOException {
        try (JsonParser p = HouseholdJson.JSON.createParser(line)) {
            p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonToken tok;
            while ((tok = p.nextToken()) != null) {
                if (tok == JsonToken.VALUE_STRING) {
                    p.getTextCharacters();
                }
            }
        }
    }
}

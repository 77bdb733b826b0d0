package pk.gov.bisp.nser.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CNICs to send: real ones from the snapshot ({@code sample-ids} output), with a share of well-formed unknown
 * ones and a share of malformed ones, as real traffic has.
 */
public final class IdPool {

    private final String[] known;
    private final double unknownShare;
    private final double malformedShare;

    public IdPool(List<String> known, double unknownShare, double malformedShare) {
        if (known.isEmpty()) {
            throw new IllegalArgumentException("the id file holds no CNICs");
        }
        if (unknownShare < 0 || malformedShare < 0 || unknownShare + malformedShare > 1) {
            throw new IllegalArgumentException("unknown and malformed shares must be >= 0 and sum to at most 1");
        }
        this.known = known.toArray(new String[0]);
        this.unknownShare = unknownShare;
        this.malformedShare = malformedShare;
    }

    public static IdPool load(Path file, double unknownShare, double malformedShare) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new IdPool(lines, unknownShare, malformedShare);
    }

    private int[] districts = {};

    /** The district codes list scenarios filter by (fetched from the server's statistics). */
    public IdPool withDistricts(int[] codes) {
        this.districts = codes.clone();
        return this;
    }

    public int district(SplittableRandom rnd) {
        if (districts.length == 0) {
            throw new IllegalStateException("no district codes loaded");
        }
        return districts[rnd.nextInt(districts.length)];
    }

    private long[] households = {};

    /** The household ids update scenarios change (found through lookups of the known CNICs at start). */
    public IdPool withHouseholds(long[] ids) {
        this.households = ids.clone();
        return this;
    }

    public long household(SplittableRandom rnd) {
        if (households.length == 0) {
            throw new IllegalStateException("no household ids loaded");
        }
        return households[rnd.nextInt(households.length)];
    }

    /** The first {@code n} known CNICs (all of them if there are fewer). */
    public List<String> known(int n) {
        return List.of(known).subList(0, Math.min(n, known.length));
    }

    public String next(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        if (u < malformedShare) {
            return "35202-12X45" + rnd.nextInt(10) + "7-1";
        }
        if (u < malformedShare + unknownShare) {
            // serial 99xxxxx is never issued by the generator
            return "3" + (10 + rnd.nextInt(40)) + "01" + "99" + (10_000 + rnd.nextInt(90_000)) + (rnd.nextInt(9) + 1);
        }
        return known[rnd.nextInt(known.length)];
    }
}

package pk.gov.bisp.nser.builder.generate;

/**
 * A quota-steered Bernoulli draw: each unit's chance follows its own propensity (a latent wealth score, say),
 * while a feedback term on the running shortfall keeps the realised share within a few units of the target.
 * Plain independent draws would miss a small region's share by several points at 200k households.
 */
final class Quota {

    private static final double GAIN = 0.35;
    private final double base;
    private double shortfall;
    private final double target;

    /**
     * @param target the share to hit, 0..1
     * @param slope  the propensity slope on a standard-normal score; the base is set so the mean chance is the
     *               target, so the feedback term only corrects noise
     */
    Quota(double target, double slope) {
        this.target = Math.min(0.9999, Math.max(0.0001, target));
        this.base = calibrate(this.target, slope);
    }

    /** Draws one unit with propensity {@code offset} (slope times score, plus anything else) and uniform u. */
    boolean next(double offset, double u) {
        double p = 1.0 / (1.0 + Math.exp(-(base + offset + GAIN * shortfall)));
        boolean x = u < p;
        shortfall += target - (x ? 1 : 0);
        return x;
    }

    /** Solves E[logistic(a + slope * Z)] = target for Z standard normal (bisection over a quadrature). */
    static double calibrate(double target, double slope) {
        double lo = -30;
        double hi = 30;
        for (int it = 0; it < 80; it++) {
            double mid = (lo + hi) / 2;
            if (meanChance(mid, slope) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    private static double meanChance(double a, double slope) {
        double sum = 0;
        double weight = 0;
        for (int i = -60; i <= 60; i++) {
            double z = i / 10.0;
            double w = Math.exp(-z * z / 2);
            sum += w / (1.0 + Math.exp(-(a + slope * z)));
            weight += w;
        }
        return sum / weight;
    }
}

package pk.gov.bisp.nser.server.publicstatus;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client IP: {@code burst} tokens, refilled at {@code perMinute} per minute. Each client's
 * bucket is its own lock, so a client over its limit never slows another. Idle buckets are swept. At most
 * {@link #MAX_CLIENTS} buckets exist: past that (a flood of new addresses), new clients share one overflow
 * bucket until a sweep makes room, so memory stays bounded and the flood stays limited.
 */
public final class FairUsage {

    /** The outcome of taking one token. */
    public record Decision(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;
    }

    public static final int MAX_CLIENTS = 1_000_000;
    private static final String OVERFLOW = "overflow";

    private final int perMinute;
    private final int burst;
    private final double tokensPerNano;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public FairUsage(int perMinute, int burst) {
        this.perMinute = perMinute;
        this.burst = burst;
        this.tokensPerNano = perMinute / 60e9;
    }

    public Decision take(String client, long nowNanos) {
        String key = buckets.size() >= MAX_CLIENTS && !buckets.containsKey(client) ? OVERFLOW : client;
        Bucket b = buckets.computeIfAbsent(key, k -> {
            Bucket n = new Bucket();
            n.tokens = burst;
            n.updatedNanos = nowNanos;
            return n;
        });
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (nowNanos - b.updatedNanos) * tokensPerNano);
            b.updatedNanos = nowNanos;
            long toFull = (long) Math.ceil((burst - b.tokens) / tokensPerNano / 1e9);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                long reset = (long) Math.ceil((burst - b.tokens) / tokensPerNano / 1e9);
                return new Decision(true, perMinute, (int) Math.floor(b.tokens), reset, 0);
            }
            long retry = Math.max(1, (long) Math.ceil((1 - b.tokens) / tokensPerNano / 1e9));
            return new Decision(false, perMinute, 0, toFull, retry);
        }
    }

    /** Drops buckets that have been full for a while (called from a periodic timer). */
    public void sweep(long nowNanos) {
        long idle = (long) (burst / tokensPerNano) + 60_000_000_000L;
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return nowNanos - e.getValue().updatedNanos > idle;
            }
        });
    }
}

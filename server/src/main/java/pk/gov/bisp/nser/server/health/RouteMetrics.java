package pk.gov.bisp.nser.server.health;

import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import pk.gov.bisp.nser.server.http.PrefixRoutes;

/**
 * Requests, errors and latency per route. Latency goes into an HdrHistogram {@link Recorder} per route (wait-free
 * for the event loops); a scrape folds the interval into the cumulative histogram it reports.
 */
public final class RouteMetrics {

    private static final class Route {
        final LongAdder requests = new LongAdder();
        final LongAdder clientErrors = new LongAdder();
        final LongAdder serverErrors = new LongAdder();
        final Recorder recorder = new Recorder(3);
        final Histogram total = new Histogram(3);
        Histogram interval;
    }

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong activeStreams = new java.util.concurrent.atomic.AtomicLong();
    private final LongAdder streamedRows = new LongAdder();
    /** Requests begun and not yet ended (striped: the event loops do not share one counter's cache line). */
    private final LongAdder inFlight = new LongAdder();
    /** Gauges that other features add to each scrape (e.g. the agreements'), in the order added. */
    private final java.util.List<java.util.function.Supplier<String>> gauges =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Adds {@code text} (Prometheus lines, each ending in a newline) to every scrape. */
    public void addGauges(java.util.function.Supplier<String> text) {
        gauges.add(text);
    }

    /** A streamed response began. */
    public void streamStarted() {
        activeStreams.incrementAndGet();
    }

    /** A streamed response ended (completed, or stopped because the client left) after sending {@code rows}. */
    public void streamEnded(long rows) {
        activeStreams.decrementAndGet();
        streamedRows.add(rows);
    }


    /** Times the request from now until its response ends (called by the first handler, which goes on). */
    public void start(RoutingContext ctx) {
        long start = System.nanoTime();
        inFlight.increment();
        ctx.addEndHandler(v -> {
            inFlight.decrement();
            String path = ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "unmatched"
                    : PrefixRoutes.template(ctx.currentRoute());
            Route r = routes.computeIfAbsent(path, p -> new Route());
            r.requests.increment();
            int status = ctx.response().getStatusCode();
            if (status >= 500) {
                r.serverErrors.increment();
            } else if (status >= 400) {
                r.clientErrors.increment();
            }
            r.recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
        });
    }

    /** Prometheus text exposition. */
    public synchronized String scrape() {
        StringBuilder b = new StringBuilder(2_048);
        b.append("# HELP nser_requests_total Requests answered, by route.\n# TYPE nser_requests_total counter\n");
        routes.forEach((p, r) -> line(b, "nser_requests_total", p, null, r.requests.sum()));
        b.append("# HELP nser_errors_total Error responses, by route and class.\n# TYPE nser_errors_total counter\n");
        routes.forEach((p, r) -> {
            line(b, "nser_errors_total", p, "class=\"4xx\"", r.clientErrors.sum());
            line(b, "nser_errors_total", p, "class=\"5xx\"", r.serverErrors.sum());
        });
        b.append("# HELP nser_latency_microseconds Response latency percentiles since start, by route.\n")
                .append("# TYPE nser_latency_microseconds gauge\n");
        routes.forEach((p, r) -> {
            r.interval = r.recorder.getIntervalHistogram(r.interval);
            r.total.add(r.interval);
            for (double q : new double[] {50, 90, 99, 99.9}) {
                line(b, "nser_latency_microseconds", p, String.format(Locale.ROOT, "quantile=\"%s\"", q / 100),
                        r.total.getValueAtPercentile(q));
            }
            line(b, "nser_latency_microseconds", p, "quantile=\"1\"", r.total.getMaxValue());
        });
        b.append("# HELP nser_requests_in_flight Requests begun (headers read) and not yet answered, this scrape "
                + "included.\n# TYPE nser_requests_in_flight gauge\n")
                .append("nser_requests_in_flight ").append(inFlight.sum()).append('\n');
        b.append("# HELP nser_streams_active Streamed list responses in progress.\n# TYPE nser_streams_active gauge\n")
                .append("nser_streams_active ").append(activeStreams.get()).append('\n');
        b.append("# HELP nser_streamed_rows_total Rows sent by streamed list responses that ended.\n")
                .append("# TYPE nser_streamed_rows_total counter\n")
                .append("nser_streamed_rows_total ").append(streamedRows.sum()).append('\n');
        for (java.util.function.Supplier<String> g : gauges) {
            b.append(g.get());
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String name, String route, String extra, long value) {
        b.append(name).append("{route=\"").append(route.replace("\"", "")).append('"');
        if (extra != null) {
            b.append(',').append(extra);
        }
        b.append("} ").append(value).append('\n');
    }
}

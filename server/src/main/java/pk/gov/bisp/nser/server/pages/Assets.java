package pk.gov.bisp.nser.server.pages;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.webjars.WebJarVersionLocator;

/**
 * The files pages load, by the name they are served under ({@code /assets/{name}}): a fixed list, read once
 * from the server's jar and the webjars on its class path (found by {@link WebJarVersionLocator}, so a webjar's
 * version lives in the pom alone), each text file also gzipped once. Immutable after loading; shared by every
 * event loop.
 */
public final class Assets {

    /** One file: its bytes, its gzipped bytes (null for a file that is compressed already) and its media type. */
    public record Asset(byte[] bytes, byte[] gzipped, String contentType) {
    }

    private static final String OWN = "/pages/";
    private static volatile Assets bundled;

    private final Map<String, Asset> byName;

    private Assets(Map<String, Asset> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** The assets of this server, loaded on first use (the composition root loads them at start). */
    public static Assets bundled() {
        Assets a = bundled;
        if (a == null) {
            synchronized (Assets.class) {
                if (bundled == null) {
                    bundled = load();
                }
                a = bundled;
            }
        }
        return a;
    }

    /** The asset served as {@code name}, or null. */
    public Asset get(String name) {
        return byName.get(name);
    }

    /** Every name served, in a stable order. */
    public java.util.Set<String> names() {
        return new java.util.TreeSet<>(byName.keySet());
    }

    private static Assets load() {
        WebJarVersionLocator webjars = new WebJarVersionLocator();
        Map<String, Asset> m = new LinkedHashMap<>();
        own(m, "noto-nastaliq-urdu.woff2", "font/woff2", false);
        own(m, "noto-nastaliq-urdu-OFL.txt", "text/plain; charset=utf-8", true);
        own(m, "statistics.js", "text/javascript; charset=utf-8", true);
        own(m, "docs.js", "text/javascript; charset=utf-8", true);
        webjar(m, webjars, "swagger-ui", "swagger-ui-bundle.js", "swagger-ui-bundle.js", "text/javascript; charset=utf-8");
        webjar(m, webjars, "swagger-ui", "swagger-ui.css", "swagger-ui.css", "text/css; charset=utf-8");
        webjar(m, webjars, "echarts", "dist/echarts.min.js", "echarts.min.js", "text/javascript; charset=utf-8");
        return new Assets(m);
    }

    private static void own(Map<String, Asset> m, String name, String type, boolean compress) {
        put(m, name, OWN + name, type, compress);
    }

    private static void webjar(Map<String, Asset> m, WebJarVersionLocator locator, String webjar, String file,
                               String name, String type) {
        String path = locator.fullPath(webjar, file);
        if (path == null) {
            throw new IllegalStateException("webjar " + webjar + " with " + file + " is not on the class path");
        }
        put(m, name, "/" + path, type, true);
    }

    private static void put(Map<String, Asset> m, String name, String resource, String type, boolean compress) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the server's class path");
            }
            byte[] bytes = in.readAllBytes();
            m.put(name, new Asset(bytes, compress ? gzip(bytes) : null, type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3);
        try (GZIPOutputStream z = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            z.write(bytes);
        }
        return out.toByteArray();
    }
}

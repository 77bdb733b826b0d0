package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loadtest/ladder.sh} builds its experimental server from this checkout with {@code loadtest/ladder.patch}
 * applied. Nothing else builds that server, so this keeps the patch usable: every hunk's context is still in the
 * file it changes, and the routes it adds compile against the server as it is now.
 */
class LadderPatchTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path PATCH = ROOT.resolve("loadtest/ladder.patch");

    /** Per file of the patch: its hunks, each as the lines it expects (context and removed) and the lines after. */
    private record Hunk(List<String> before, List<String> after) {
    }

    private static Map<String, List<Hunk>> parse() throws Exception {
        Map<String, List<Hunk>> files = new LinkedHashMap<>();
        List<Hunk> hunks = null;
        Hunk hunk = null;
        for (String line : Files.readAllLines(PATCH)) {
            if (line.startsWith("+++ ")) {
                hunks = new ArrayList<>();
                files.put(line.substring("+++ b/".length()), hunks);
                hunk = null;
            } else if (line.startsWith("@@") && hunks != null) {
                hunk = new Hunk(new ArrayList<>(), new ArrayList<>());
                hunks.add(hunk);
            } else if (hunk != null && !line.startsWith("diff ") && !line.startsWith("--- ")
                    && !line.startsWith("index ") && !line.startsWith("new file")) {
                char c = line.isEmpty() ? ' ' : line.charAt(0);
                String text = line.isEmpty() ? "" : line.substring(1);
                if (c != '+') {
                    hunk.before().add(text);
                }
                if (c != '-') {
                    hunk.after().add(text);
                }
            }
        }
        return files;
    }

    @Test
    void thePatchShouldStillApplyAndItsRoutesCompile(@TempDir Path out) throws Exception {
        Map<String, List<Hunk>> files = parse();
        assertEquals(List.of("server/src/main/java/pk/gov/bisp/nser/server/http/ApiVerticle.java",
                "server/src/main/java/pk/gov/bisp/nser/server/lookup/LadderRoutes.java"), List.copyOf(files.keySet()));
        List<Path> sources = new ArrayList<>();
        for (Map.Entry<String, List<Hunk>> f : files.entrySet()) {
            Path target = ROOT.resolve(f.getKey());
            if (Files.exists(target)) { // a change: each hunk's expected lines are still there, in a row
                assertFalse(f.getValue().isEmpty());
                String text = Files.readString(target);
                for (Hunk h : f.getValue()) {
                    assertTrue(text.contains(String.join("\n", h.before())),
                            "ladder.patch no longer applies to " + f.getKey() + ": update it");
                }
            } else { // a new file: what the patch adds, compiled below
                assertEquals(1, f.getValue().size());
                assertTrue(f.getValue().get(0).before().isEmpty(), f.getKey() + " is not new");
                Path src = out.resolve(target.getFileName());
                Files.write(src, f.getValue().get(0).after());
                sources.add(src);
            }
        }
        assertEquals(1, sources.size());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null,
                List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"), "-proc:none"),
                null, javac.getStandardFileManager(null, null, null).getJavaFileObjectsFromPaths(sources)).call();
        assertTrue(ok, "the ladder's routes no longer compile against the server: update loadtest/ladder.patch\n"
                + errors);
        assertTrue(Files.exists(out.resolve("pk/gov/bisp/nser/server/lookup/LadderRoutes.class")));
    }
}

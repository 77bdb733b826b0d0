package pk.gov.bisp.nser.server.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.server.caller.Agreement;
import pk.gov.bisp.nser.server.caller.AreaScope;
import pk.gov.bisp.nser.server.caller.DataClass;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.PurposeCategory;
import pk.gov.bisp.nser.server.caller.Role;

/**
 * The committed agreement commands of format version 2
 * ({@code src/test/resources/golden/agreements/v2/commands.ndjson}, one record's JSON a line): encoding each command
 * gives its line's bytes, and each line decodes to its command. The version 1 file (no partner programmes in an
 * agreement's terms) still decodes, each agreement with programmes null (the configuration's). Never disable this: a
 * failure means the agreement journal's format changed, which needs a new version. The tests only read the files;
 * {@code scripts/regenerate-golden-files.sh} rewrites the current version's with {@link #main}, from the same encoder
 * (version 1 can no longer be written: it stays as committed).
 */
public class CommandCodecGoldenFileTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/agreements/v2/commands.ndjson");
    private static final Path GOLDEN_V1 = Path.of("src/test/resources/golden/agreements/v1/commands.ndjson");

    /** Rewrites the current version's golden commands under {@code args[0]} ({@code golden/agreements}). */
    public static void main(String[] args) throws Exception {
        Path f = Path.of(args[0]).resolve("v2").resolve(GOLDEN.getFileName());
        Files.createDirectories(f.getParent());
        Files.writeString(f, encoded());
    }

    private static String encoded() {
        StringBuilder written = new StringBuilder();
        for (AgreementCommand c : commandsV2()) {
            written.append(new String(CommandCodec.encode(c), StandardCharsets.UTF_8)).append('\n');
        }
        return written.toString();
    }
    static final Instant AT = Instant.parse("2026-12-07T04:00:00.123Z");

    static AgreementCommand.Meta meta(int n) {
        return new AgreementCommand.Meta(AT.plusSeconds(n), "admin-1", "bisp", "8f00aa11bb22cc3" + n,
                "reason " + n + ": \"quoted\", ünïcode");
    }

    static Agreement agreement() {
        return new Agreement("DSA-2026-101", "acme-microfinance", "Loan applicants' poverty score",
                PurposeCategory.POVERTY_SCORE_API, EnumSet.allOf(DataClass.class),
                EnumSet.of(Operation.LOOKUP, Operation.ELIGIBILITY), new AreaScope(GeoLevel.DISTRICT, 6001),
                List.of(new Agreement.Member("analyst-1", "Credit analyst", Role.STANDARD, Set.of()),
                        new Agreement.Member("analyst-2", "Junior analyst", Role.BASIC, Set.of(Operation.LOOKUP))),
                Instant.parse("2026-12-31T19:00:00Z"), Instant.parse("2027-12-31T19:00:00Z"),
                Agreement.Status.ACTIVE);
    }

    static List<AgreementCommand> commands() {
        Agreement a = agreement();
        return List.of(new AgreementCommand.Create(meta(1), a),
                new AgreementCommand.Amend(meta(2), new Agreement(a.id(), a.organisation(), a.purpose(),
                        a.category(), a.dataClasses(), a.operations(), AreaScope.NATIONAL, a.users(), null, null,
                        Agreement.Status.ACTIVE)),
                new AgreementCommand.SetStatus(meta(3), a.id(), Agreement.Status.SUSPENDED),
                new AgreementCommand.SetStatus(meta(4), a.id(), Agreement.Status.ACTIVE),
                new AgreementCommand.IssueKey(meta(5), "key-00112233aabbccdd", "analyst-1", "ab".repeat(32)),
                new AgreementCommand.RotateKey(meta(6), "key-00112233aabbccdd", "key-44556677eeff0011",
                        "cd".repeat(32), 3_600),
                new AgreementCommand.RevokeKey(meta(7), "key-44556677eeff0011"),
                new AgreementCommand.SetStatus(meta(8), a.id(), Agreement.Status.REVOKED));
    }

    /** The version 2 commands: the v1 ones, the created agreement naming two programmes and the amended none. */
    static List<AgreementCommand> commandsV2() {
        List<AgreementCommand> out = new ArrayList<>();
        for (AgreementCommand c : commands()) {
            if (c instanceof AgreementCommand.Create x) {
                out.add(new AgreementCommand.Create(x.meta(), withProgrammes(x.agreement(), Set.of("sehat", "pbm"))));
            } else if (c instanceof AgreementCommand.Amend x) {
                out.add(new AgreementCommand.Amend(x.meta(), withProgrammes(x.agreement(), Set.of())));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    private static Agreement withProgrammes(Agreement a, Set<String> programmes) {
        return new Agreement(a.id(), a.organisation(), a.purpose(), a.category(), a.dataClasses(), a.operations(),
                a.scope(), a.users(), a.validFrom(), a.validUntil(), a.status(), programmes);
    }

    @Test
    void commandsV2ShouldBeEncodedByteForByteAndDecodedBack() throws Exception {
        String golden = Files.readString(GOLDEN);
        assertEquals(golden, encoded(), "agreement command encoding changed; the v2 format must not change");
        List<AgreementCommand> read = new ArrayList<>();
        for (String line : golden.split("\n")) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            read.add(CommandCodec.decode(b, 0, b.length));
            assertTrue(line.startsWith("{\"v\":2,\"command\":"), line);
        }
        assertEquals(commandsV2(), read);
    }

    @Test
    void commandsV1ShouldStillBeDecodedWithTheConfigurationsProgrammes() throws Exception {
        List<AgreementCommand> read = new ArrayList<>();
        for (String line : Files.readString(GOLDEN_V1).split("\n")) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            read.add(CommandCodec.decode(b, 0, b.length));
            assertTrue(line.startsWith("{\"v\":1,\"command\":"), line);
        }
        assertEquals(commands(), read);
        assertEquals(null, ((AgreementCommand.Create) read.get(0)).agreement().programmes(), "v1 says none: null");
    }

    @Test
    void anotherVersionOrABrokenRecordIsRefusedNamingWhy() {
        byte[] v3 = "{\"v\":3,\"command\":\"revoke_key\"}".getBytes(StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> CommandCodec.decode(v3, 0, v3.length));
        assertTrue(e.getMessage().contains("v=3"), e.getMessage());
        byte[] noKey = new String(CommandCodec.encode(commands().get(6)), StandardCharsets.UTF_8)
                .replace(",\"key_id\":\"key-44556677eeff0011\"", "").getBytes(StandardCharsets.UTF_8);
        e = assertThrows(IOException.class, () -> CommandCodec.decode(noKey, 0, noKey.length));
        assertTrue(e.getMessage().contains("key_id"), e.getMessage());
    }
}

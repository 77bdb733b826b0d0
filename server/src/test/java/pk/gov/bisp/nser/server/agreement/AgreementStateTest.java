package pk.gov.bisp.nser.server.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.auth.KeyStanding;
import pk.gov.bisp.nser.server.caller.Agreement;
import pk.gov.bisp.nser.server.caller.AreaScope;
import pk.gov.bisp.nser.server.caller.Organisation;
import pk.gov.bisp.nser.server.caller.OrganisationType;

/**
 * {@link AgreementState#apply} is a function of the state and the command alone: the same commands in the same order
 * make equal states wherever they are applied (what lets them travel on an ordered log to every replica), a command
 * that does not fit changes nothing, and who a key is follows the instant asked about.
 */
class AgreementStateTest {

    private static final Map<String, Organisation> ORGS = Map.of("acme-microfinance", new Organisation(
            "acme-microfinance", "Acme", OrganisationType.BUSINESS, AreaScope.NATIONAL, 0, 0));

    private static AgreementState seed() {
        return AgreementState.seed(ORGS, List.of(), Map.of());
    }

    private static AgreementState applyAll(AgreementState s, List<AgreementCommand> cs) {
        long seq = 1;
        for (AgreementCommand c : cs) {
            s = s.apply(c, seq++);
        }
        return s;
    }

    @Test
    void theSameCommandsInTheSameOrderMakeEqualStates() {
        List<AgreementCommand> cs = CommandCodecGoldenFileTest.commands();
        AgreementState a = applyAll(seed(), cs);
        AgreementState b = applyAll(seed(), cs);
        assertEquals(a.agreements, b.agreements);
        assertEquals(a.keys, b.keys);
        assertEquals(a.history, b.history);
        assertEquals(Agreement.Status.REVOKED, a.agreements.get("DSA-2026-101").status());
        assertEquals(List.of("create", "amend", "suspend", "resume", "issue_key", "rotate_key", "revoke_key",
                "revoke"), a.history.stream().map(AgreementState.Change::action).toList());
    }

    @Test
    void whoAKeyIsFollowsTheInstantAskedAbout() {
        List<AgreementCommand> cs = CommandCodecGoldenFileTest.commands();
        AgreementState s = applyAll(seed(), cs.subList(0, 6)); // created, amended, suspended, resumed, key, rotated
        String oldKey = "ab".repeat(32);
        String newKey = "cd".repeat(32);
        long rotatedAt = CommandCodecGoldenFileTest.AT.plusSeconds(6).toEpochMilli();
        KeyStanding k = s.lookup(oldKey, rotatedAt + 3_599_999);
        assertEquals(true, k.ok());
        assertEquals("DSA-2026-101", k.user().agreement());
        assertEquals(AreaScope.NATIONAL, k.user().organisation().scope(), "the amended scope");
        assertEquals("key-expired", s.lookup(oldKey, rotatedAt + 3_600_000).problem());
        assertEquals(true, s.lookup(newKey, rotatedAt + 3_600_000).ok());
        assertNull(s.lookup("ef".repeat(32), rotatedAt));
        // the amendment removed the dates: valid always; with an end, it expires at it
        Agreement a = s.agreements.get("DSA-2026-101");
        Instant end = Instant.parse("2027-01-01T00:00:00Z");
        AgreementState ending = s.apply(new AgreementCommand.Amend(CommandCodecGoldenFileTest.meta(9),
                new Agreement(a.id(), a.organisation(), a.purpose(), a.category(), a.dataClasses(), a.operations(),
                        a.scope(), a.users(), null, end, a.status())), 9);
        assertEquals(true, ending.lookup(newKey, end.toEpochMilli() - 1).ok());
        KeyStanding expired = ending.lookup(newKey, end.toEpochMilli());
        assertEquals(403, expired.status());
        assertEquals("agreement-expired", expired.problem());
        assertEquals("analyst-1", expired.user().id(), "who was refused is logged");
    }

    @Test
    void aCommandThatDoesNotFitChangesNothing() {
        AgreementState s = applyAll(seed(), CommandCodecGoldenFileTest.commands());
        AgreementState.Rejected r = assertThrows(AgreementState.Rejected.class, () -> s.apply(
                new AgreementCommand.SetStatus(CommandCodecGoldenFileTest.meta(9), "DSA-2026-101",
                        Agreement.Status.ACTIVE), 9));
        assertEquals(409, r.status);
        assertEquals("agreement-revoked", r.slug);
        assertEquals(8, s.history.size());
        AgreementState again = applyAll(seed(), CommandCodecGoldenFileTest.commands());
        assertEquals(again.agreements, s.agreements);
        assertSame(Agreement.Status.REVOKED, s.agreements.get("DSA-2026-101").status());
    }
}

package pk.gov.bisp.nser.server.agreement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import pk.gov.bisp.nser.server.auth.KeyStanding;
import pk.gov.bisp.nser.server.caller.Agreement;
import pk.gov.bisp.nser.server.caller.ApiKeys;
import pk.gov.bisp.nser.server.caller.DataClass;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Organisation;
import pk.gov.bisp.nser.server.caller.User;

/**
 * The agreements and keys at one point of the command sequence: immutable, so requests read it without locks while
 * the next state is made. {@link #apply} is the one function that changes it: deterministic, it uses nothing but
 * this state and the command (no clock, no randomness), and refuses a command that does not fit the state the same
 * way wherever it runs. Who a key is at an instant ({@link #lookup}) is also a function of the state and the
 * instant, which is how expiry happens on its own.
 */
final class AgreementState {

    /** A change in the history: what was done to which agreement or key, by whom and why. */
    record Change(long sequence, Instant at, String action, String subject, String by, String byOrganisation,
                  String reason, String requestId) {
    }

    /** A refused command: the HTTP status, problem slug and detail to answer with. */
    static final class Rejected extends RuntimeException {
        final int status;
        final String slug;

        Rejected(int status, String slug, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.slug = slug;
        }
    }

    /**
     * A user under one agreement: the agreement, the user as a request under it sees it, and the standing that lets
     * it in (made once, so an allowed request allocates nothing).
     */
    private record Candidate(Agreement agreement, User user, KeyStanding allowed) {
    }

    private final Map<String, Organisation> organisations;
    final long sequence;
    final Map<String, Agreement> agreements;
    final Map<String, ApiKey> keys;
    final List<Change> history;
    private final Map<String, ApiKey> byHash = new HashMap<>();
    private final Map<String, String> organisationOfUser = new HashMap<>();
    private final Map<String, List<Candidate>> candidates = new HashMap<>();

    private AgreementState(Map<String, Organisation> organisations, long sequence, Map<String, Agreement> agreements,
                           Map<String, ApiKey> keys, List<Change> history) {
        this.organisations = organisations;
        this.sequence = sequence;
        this.agreements = Collections.unmodifiableMap(agreements);
        this.keys = Collections.unmodifiableMap(keys);
        this.history = history;
        for (ApiKey k : keys.values()) {
            byHash.put(k.sha256(), k);
        }
        for (Agreement a : agreements.values()) {
            Organisation o = organisations.get(a.organisation());
            Organisation scoped = new Organisation(o.id(), o.name(), o.type(), a.scope(), o.monthlyBudgetPaisa(),
                    o.monthlyRowQuota());
            for (Agreement.Member m : a.users()) {
                organisationOfUser.put(m.userId(), a.organisation());
                Set<Operation> ops = EnumSet.noneOf(Operation.class);
                ops.addAll(a.operations());
                if (!m.operations().isEmpty()) {
                    ops.retainAll(m.operations());
                }
                User u = new User(m.userId(), m.name(), scoped, m.role(), Set.copyOf(ops), null, a.id());
                candidates.computeIfAbsent(m.userId(), x -> new ArrayList<>(1)).add(new Candidate(a, u, KeyStanding.allowed(u)));
            }
        }
    }

    /**
     * The state the configuration seeds: its agreements, and each configured user's key (id
     * {@code cfg-USER-xxxxxxxx}, from the key's hash, so a new key in the file is a new key id).
     */
    static AgreementState seed(Map<String, Organisation> organisations, List<Agreement> seeds,
                               Map<String, User> usersByKeyHash) {
        Map<String, Agreement> as = new TreeMap<>();
        for (Agreement a : seeds) {
            as.put(a.id(), a);
        }
        Map<String, ApiKey> ks = new TreeMap<>();
        for (User u : usersByKeyHash.values()) {
            String id = seedKeyId(u.id(), u.apiKeySha256());
            ks.put(id, new ApiKey(id, u.id(), u.apiKeySha256(), null, "configuration", null, null, null, null));
        }
        return new AgreementState(Map.copyOf(organisations), 0, as, ks, List.of());
    }

    static String seedKeyId(String userId, String sha256) {
        return "cfg-" + userId + "-" + ApiKeys.sha256(sha256).substring(0, 8);
    }

    /** The state after {@code c}, the {@code sequence}th command; or {@link Rejected} naming why it does not fit. */
    AgreementState apply(AgreementCommand c, long seq) {
        Map<String, Agreement> as = agreements;
        Map<String, ApiKey> ks = keys;
        String subject;
        Instant at = c.meta().at();
        if (c instanceof AgreementCommand.Create x) {
            Agreement a = x.agreement();
            if (agreements.containsKey(a.id())) {
                throw new Rejected(409, "agreement-exists", "agreement '" + a.id() + "' already exists");
            }
            check(a);
            as = with(agreements, a.id(), a.withStatus(Agreement.Status.ACTIVE));
            subject = a.id();
        } else if (c instanceof AgreementCommand.Amend x) {
            Agreement old = existing(x.agreement().id());
            if (old.status() == Agreement.Status.REVOKED) {
                throw revoked(old);
            }
            Agreement a = x.agreement();
            if (!a.organisation().equals(old.organisation())) {
                throw new Rejected(422, "organisation-fixed", "an agreement's organisation cannot change; make "
                        + "a new agreement");
            }
            check(a);
            as = with(agreements, a.id(), a.withStatus(old.status()));
            subject = a.id();
        } else if (c instanceof AgreementCommand.SetStatus x) {
            Agreement old = existing(x.agreementId());
            if (old.status() == Agreement.Status.REVOKED) {
                throw revoked(old);
            }
            if (old.status() == x.status()) {
                throw new Rejected(409, "agreement-already-" + x.status().key(), "agreement '" + old.id()
                        + "' is already " + x.status().key());
            }
            as = with(agreements, old.id(), old.withStatus(x.status()));
            subject = old.id();
        } else if (c instanceof AgreementCommand.IssueKey x) {
            if (!hasLiveAgreement(x.userId())) {
                throw new Rejected(404, "unknown-user", "user '" + x.userId() + "' is named in no agreement "
                        + "that is not revoked");
            }
            newKey(x.keyId(), x.sha256());
            ks = with(keys, x.keyId(), new ApiKey(x.keyId(), x.userId(), x.sha256(), at, c.meta().by(), null,
                    null, null, null));
            subject = "key " + x.keyId();
        } else if (c instanceof AgreementCommand.RotateKey x) {
            ApiKey old = existingKey(x.keyId());
            if (old.revokedAt() != null) {
                throw new Rejected(409, "key-revoked", "key '" + old.keyId() + "' is revoked");
            }
            if (old.notAfter() != null) {
                throw new Rejected(409, "key-already-rotated", "key '" + old.keyId() + "' was already replaced "
                        + "by '" + old.replacedBy() + "'");
            }
            newKey(x.newKeyId(), x.sha256());
            Map<String, ApiKey> m = new TreeMap<>(keys);
            m.put(old.keyId(), new ApiKey(old.keyId(), old.userId(), old.sha256(), old.createdAt(),
                    old.createdBy(), at.plusSeconds(x.overlapSeconds()), x.newKeyId(), null, null));
            m.put(x.newKeyId(), new ApiKey(x.newKeyId(), old.userId(), x.sha256(), at, c.meta().by(), null,
                    null, null, null));
            ks = m;
            subject = "key " + old.keyId();
        } else if (c instanceof AgreementCommand.RevokeKey x) {
            ApiKey old = existingKey(x.keyId());
            if (old.revokedAt() != null) {
                throw new Rejected(409, "key-revoked", "key '" + old.keyId() + "' is already revoked");
            }
            ks = with(keys, old.keyId(), new ApiKey(old.keyId(), old.userId(), old.sha256(), old.createdAt(),
                    old.createdBy(), old.notAfter(), old.replacedBy(), at, c.meta().by()));
            subject = "key " + old.keyId();
        } else {
            throw new IllegalArgumentException("unknown command " + c);
        }
        List<Change> h = new ArrayList<>(history.size() + 1);
        h.addAll(history);
        h.add(new Change(seq, at, c.name(), subject, c.meta().by(), c.meta().byOrganisation(), c.meta().reason(),
                c.meta().requestId()));
        return new AgreementState(organisations, seq, as instanceof TreeMap ? as : new TreeMap<>(as),
                ks instanceof TreeMap ? ks : new TreeMap<>(ks), Collections.unmodifiableList(h));
    }

    /** What an agreement must be, whatever else: an organisation of the configuration, users of it alone. */
    private void check(Agreement a) {
        if (!organisations.containsKey(a.organisation())) {
            throw new Rejected(422, "unknown-organisation", "organisation '" + a.organisation() + "' is not in the "
                    + "configuration (organisations, their type and tariff, are configured)");
        }
        for (Agreement.Member m : a.users()) {
            String org = organisationOfUser.get(m.userId());
            if (org != null && !org.equals(a.organisation())) {
                throw new Rejected(409, "user-of-another-organisation", "user '" + m.userId() + "' belongs to "
                        + "organisation '" + org + "'");
            }
            Set<DataClass> missing = EnumSet.copyOf(DataClass.neededBy(m.role()));
            missing.removeAll(a.dataClasses());
            if (!missing.isEmpty()) {
                throw new Rejected(422, "data-classes-not-granted", "user '" + m.userId() + "' has role "
                        + m.role().name().toLowerCase(java.util.Locale.ROOT) + ", whose answers carry data classes "
                        + "the agreement does not grant: " + missing.stream().map(DataClass::key).toList());
            }
            if (!a.operations().containsAll(m.operations())) {
                throw new Rejected(422, "operations-not-granted", "user '" + m.userId() + "' is given operations "
                        + "the agreement does not grant");
            }
        }
    }

    private boolean hasLiveAgreement(String userId) {
        for (Candidate c : candidates.getOrDefault(userId, List.of())) {
            if (c.agreement().status() != Agreement.Status.REVOKED) {
                return true;
            }
        }
        return false;
    }

    private void newKey(String keyId, String sha256) {
        if (keys.containsKey(keyId) || byHash.containsKey(sha256)) {
            throw new Rejected(409, "key-exists", "key '" + keyId + "' (or one with the same hash) exists");
        }
    }

    private Agreement existing(String id) {
        Agreement a = agreements.get(id);
        if (a == null) {
            throw new Rejected(404, "unknown-agreement", "no agreement '" + id + "'");
        }
        return a;
    }

    private ApiKey existingKey(String id) {
        ApiKey k = keys.get(id);
        if (k == null) {
            throw new Rejected(404, "unknown-key", "no key '" + id + "'");
        }
        return k;
    }

    private static Rejected revoked(Agreement a) {
        return new Rejected(409, "agreement-revoked", "agreement '" + a.id() + "' is revoked, which is final");
    }

    private static <V> Map<String, V> with(Map<String, V> m, String k, V v) {
        Map<String, V> out = new TreeMap<>(m);
        out.put(k, v);
        return out;
    }

    /**
     * Who the key with hash {@code sha256} is at {@code millis}: its user under the first of the user's agreements
     * that is active, or the refusal saying which of the caller's own statuses stops it; null for no such key.
     */
    KeyStanding lookup(String sha256, long millis) {
        ApiKey k = byHash.get(sha256);
        if (k == null) {
            return null;
        }
        if (k.revokedAt() != null) {
            return new KeyStanding(null, 401, "key-revoked", "this API key has been revoked");
        }
        if (k.notAfter() != null && millis >= k.notAfter().toEpochMilli()) {
            return new KeyStanding(null, 401, "key-expired", "this API key was replaced by a new one and stopped "
                    + "working at " + k.notAfter());
        }
        List<Candidate> cs = candidates.get(k.userId());
        if (cs == null) {
            return new KeyStanding(null, 403, "no-agreement", "user '" + k.userId() + "' is named in no data-sharing "
                    + "agreement");
        }
        Candidate refused = null;
        Agreement.Standing why = null;
        for (Candidate c : cs) {
            Agreement.Standing s = c.agreement().standing(millis);
            if (s == Agreement.Standing.ACTIVE) {
                return c.allowed();
            }
            if (why == null || s.ordinal() < why.ordinal()) { // the least final: pending, suspended, expired, revoked
                why = s;
                refused = c;
            }
        }
        Agreement a = refused.agreement();
        String detail = switch (why) {
            case PENDING -> "the data-sharing agreement '" + a.id() + "' of your organisation takes effect at "
                    + a.validFrom();
            case SUSPENDED -> "the data-sharing agreement '" + a.id() + "' of your organisation is suspended by BISP; "
                    + "requests under it are refused until it is resumed";
            case EXPIRED -> "the data-sharing agreement '" + a.id() + "' of your organisation expired at "
                    + a.validUntil();
            default -> "the data-sharing agreement '" + a.id() + "' of your organisation was revoked by BISP";
        };
        String slug = why == Agreement.Standing.PENDING ? "agreement-not-yet-valid" : "agreement-" + why.key();
        return new KeyStanding(refused.user(), 403, slug, detail);
    }

    /** The organisation that a user of an agreement belongs to, or null. */
    String organisationOf(String userId) {
        return organisationOfUser.get(userId);
    }

    boolean active(String agreementId, long millis) {
        Agreement a = agreements.get(agreementId);
        return a != null && a.standing(millis) == Agreement.Standing.ACTIVE;
    }

    boolean organisationActive(String organisation, long millis) {
        for (Agreement a : agreements.values()) {
            if (a.organisation().equals(organisation) && a.standing(millis) == Agreement.Standing.ACTIVE) {
                return true;
            }
        }
        return false;
    }

    /** The keys of {@code userId}, by id. */
    List<ApiKey> keysOf(String userId) {
        List<ApiKey> out = new ArrayList<>();
        for (ApiKey k : keys.values()) {
            if (k.userId().equals(userId)) {
                out.add(k);
            }
        }
        return out;
    }

    /** Counts of agreements by standing at {@code millis}, in the order of {@link Agreement.Standing}. */
    Map<Agreement.Standing, Integer> standings(long millis) {
        Map<Agreement.Standing, Integer> out = new LinkedHashMap<>();
        for (Agreement.Standing s : Agreement.Standing.values()) {
            out.put(s, 0);
        }
        for (Agreement a : agreements.values()) {
            out.merge(a.standing(millis), 1, Integer::sum);
        }
        return out;
    }
}

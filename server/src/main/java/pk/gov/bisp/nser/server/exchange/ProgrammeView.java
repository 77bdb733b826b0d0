package pk.gov.bisp.nser.server.exchange;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.config.ExchangeOptions;
import pk.gov.bisp.nser.server.json.JsonBytes;
import pk.gov.bisp.nser.server.lookup.HouseholdExtras;

/**
 * Which programmes serve a household looked up, by the data-sharing classes: {@code "programmes": [{"programme",
 * "status", "date", "benefits": [{"period", "amount_pkr", "kind"}]}]}.
 * <ul>
 * <li>names and statuses: a Power caller of BISP (the registry's owner) or of a partner (an organisation whose
 *     agreement names programmes), and the roles {@code exchange.programmes_visible_to} names; nobody else;</li>
 * <li>benefits with their amounts: BISP for every programme, a partner for the programmes its own agreement
 *     names; nobody else.</li>
 * </ul>
 * What a caller may not see is never written, and a caller who may see nothing gets no {@code programmes} field.
 */
public final class ProgrammeView implements HouseholdExtras {

    private static final JsonBytes.Name PROGRAMMES = JsonBytes.name("programmes");
    private static final JsonBytes.Name PROGRAMME = JsonBytes.name("programme");
    private static final JsonBytes.Name STATUS = JsonBytes.name("status");
    private static final JsonBytes.Name DATE = JsonBytes.name("date");
    private static final JsonBytes.Name BENEFITS = JsonBytes.name("benefits");
    private static final JsonBytes.Name PERIOD = JsonBytes.name("period");
    private static final JsonBytes.Name AMOUNT = JsonBytes.name("amount_pkr");
    private static final JsonBytes.Name KIND = JsonBytes.name("kind");

    private final ExchangeStore store;
    private final ExchangeOptions options;
    private final Function<User, Set<String>> partnerProgrammes;

    /** Partners' programmes from the configuration only ({@code agreement.programmes}). */
    public ProgrammeView(ExchangeStore store, ExchangeOptions options) {
        this(store, options, u -> options.programmesOf(u.organisation().id()));
    }

    /** @param partnerProgrammes the programmes a user's agreement names (the live agreements') */
    public ProgrammeView(ExchangeStore store, ExchangeOptions options, Function<User, Set<String>> partnerProgrammes) {
        this.store = store;
        this.options = options;
        this.partnerProgrammes = partnerProgrammes;
    }

    /** Whether {@code user} sees which programmes serve a household (names and statuses). */
    public boolean seesProgrammes(User user) {
        String org = user.organisation().id();
        return user.role() == Role.POWER && (org.equals(options.owner()) || !partnerProgrammes.apply(user).isEmpty())
                || options.visibleTo().contains(user.role());
    }

    /**
     * Whether {@code user} may list or count households by the live bitmap {@code name}: by a partner programme
     * whoever sees programmes; by benefits paid ({@code benefit_pkr_min}, every programme's amounts) BISP alone.
     */
    public boolean mayFilter(User user, String name) {
        return name.startsWith(pk.gov.bisp.nser.core.query.QueryParser.BENEFIT_MIN)
                ? user.organisation().id().equals(options.owner()) && seesProgrammes(user) : seesProgrammes(user);
    }

    /** Whether {@code user} sees the amounts {@code programme} paid. */
    public boolean seesAmounts(User user, String programme) {
        String org = user.organisation().id();
        return seesProgrammes(user) && (org.equals(options.owner())
                || partnerProgrammes.apply(user).contains(programme));
    }

    @Override
    public boolean write(JsonBytes g, long householdId, User user) {
        if (!seesProgrammes(user)) {
            return false;
        }
        ExchangeState state = store.state();
        Map<String, Enrolment> enrolments = state.enrolmentsOf(householdId);
        List<Benefit> benefits = state.benefitsOf(householdId);
        Set<String> programmes = new TreeSet<>(enrolments.keySet());
        for (Benefit b : benefits) {
            if (seesAmounts(user, b.programme())) {
                programmes.add(b.programme());
            }
        }
        g.field(PROGRAMMES).startArray();
        for (String p : programmes) {
            g.startObject().field(PROGRAMME).value(p);
            Enrolment e = enrolments.get(p);
            if (e != null) {
                g.field(STATUS).value(e.status());
                g.field(DATE).value(e.date().toString());
            }
            if (seesAmounts(user, p)) {
                g.field(BENEFITS).startArray();
                for (Benefit b : benefits) {
                    if (b.programme().equals(p)) {
                        g.startObject().field(PERIOD).value(b.period().toString()).field(AMOUNT)
                                .decimal(b.amountPaisa(), 2).field(KIND).value(b.kind()).endObject();
                    }
                }
                g.endArray();
            }
            g.endObject();
        }
        g.endArray();
        return true;
    }
}

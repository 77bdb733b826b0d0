package pk.gov.bisp.nser.server.exchange;

import java.time.LocalDate;
import java.util.Map;
import java.util.function.Supplier;
import pk.gov.bisp.nser.core.index.MemberSummary;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.server.eligibility.Programme;

/**
 * What the change feed tells a partner of a household it enrols: the PMT band, and the eligibility for its programme
 * when the registry has a rule for that programme. Thread-safe.
 */
final class RegistryStatus {

    private final Map<String, Programme> programmes;
    private final Supplier<LocalDate> today;
    private final HouseholdRecord record = new HouseholdRecord();
    private final MemberSummary summary = new MemberSummary();

    /** @param programmes every configured programme, by id */
    RegistryStatus(Map<String, Programme> programmes, Supplier<LocalDate> today) {
        this.programmes = Map.copyOf(programmes);
        this.today = today;
    }

    /** The status of the household whose record is {@code bytes} for {@code programme}. */
    synchronized Rescore.Item of(byte[] bytes, String programme) {
        record.wrap(bytes, bytes.length);
        Programme p = programmes.get(programme);
        Boolean eligible = p == null ? null : p.rule().decide(record, summary.of(record, today.get())).eligible();
        return new Rescore.Item(programme, ExchangeRoutes.band(record.pmtHundredths()), eligible);
    }
}

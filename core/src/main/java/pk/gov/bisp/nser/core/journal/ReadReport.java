package pk.gov.bisp.nser.core.journal;

import java.util.List;

/**
 * What {@link JournalReader} found.
 *
 * @param segments     segment files read
 * @param records      records visited
 * @param lastSequence the highest good sequence seen (0 if none)
 * @param tailBytes    bytes at the end of the newest segment that are not (yet) a whole valid frame: a write in
 *                     progress, or a torn tail that the next {@link Journal#open} truncates
 * @param damage       corruption: every damaged region, where it starts, where reading went on and which
 *                     sequences it lost
 */
public record ReadReport(int segments, long records, long lastSequence, long tailBytes, List<JournalDamage> damage) {

    public ReadReport {
        damage = List.copyOf(damage);
    }

    /** Records lost to damage (whatever their sequence). */
    public long lostRecords() {
        return damage.stream().mapToLong(JournalDamage::lostRecords).sum();
    }
}

package pk.gov.bisp.nser.server.exchange;

import java.util.List;

/**
 * A live update that changed an enrolled household's registry status for the programmes enrolling it, as journaled
 * (an exchange journal record of kind {@link ExchangeCodec#RESCORE}): each of those programmes' feeds gains an entry.
 * A record with no items only says how far the updates were looked at (written at a clean close).
 *
 * @param update      the update journal's sequence of the update (on a replica: the update log position)
 * @param at          when the update was decided, epoch milliseconds
 * @param householdId the household
 * @param items       per programme enrolling it whose status changed: the status after the update
 */
public record Rescore(long update, long at, long householdId, List<Item> items) {

    public Rescore {
        items = List.copyOf(items);
    }

    /**
     * One programme's view of the household after the update.
     *
     * @param pmtBand  the 5-point PMT band ({@code "20-25"})
     * @param eligible eligibility for the programme, or null when the registry has no rule for it
     */
    public record Item(String programme, String pmtBand, Boolean eligible) {
    }
}

package pk.gov.bisp.nser.server.update;

import java.time.Instant;
import java.util.List;

/**
 * Told of every household an update changed, so a feature can act on it (the DCI notifications, issue 32) without
 * the update service knowing that feature. {@link #changed} runs on the update thread once the update is journaled
 * and applied, before it is answered: the answer waits until the listener calls {@code durable}, so a listener that
 * journals what it must do keeps it across a kill -9 of an answered update. {@link #replayed} is told, once at
 * start, the updates the journal replayed after the last checkpoint, so a listener can take up those whose
 * {@code changed} it may not have made durable before a crash.
 */
public interface HouseholdListener {

    /** No one listening: answers at once. */
    HouseholdListener NONE = new HouseholdListener() {
        @Override
        public void changed(Change change, Runnable durable) {
            durable.run();
        }
    };

    /** What an update did to a household. */
    enum Kind {
        /** A new household ({@code POST /v1/households}). */
        CREATED,
        /** Its roster changed ({@code PATCH /v1/households/{id}/members}). */
        ROSTER,
        /** A full re-survey ({@code PUT /v1/households/{id}/survey}). */
        RESURVEY;

        /** The kind of a journaled update: created, else from its update type ({@code roster_update}: roster). */
        public static Kind of(boolean created, String updateType) {
            return created ? CREATED : "roster_update".equals(updateType) ? ROSTER : RESURVEY;
        }
    }

    /**
     * One applied change.
     *
     * @param sequence    the update journal's sequence of the update (on a replica: the update log position)
     * @param ordinal     the household's ordinal in the snapshot
     * @param householdId the household id
     * @param kind        what the update did
     * @param updateType  the update type key ({@code missed_out}, {@code roster_update}, ...)
     * @param at          when the update was decided
     * @param before      the household's record before the update, or null (a new household, or not known: replayed)
     * @param after       its record after the update, or null when not given
     */
    record Change(long sequence, int ordinal, long householdId, Kind kind, String updateType, Instant at,
                  byte[] before, byte[] after) {

        /** A change whose records are not given. */
        public Change(long sequence, int ordinal, long householdId, Kind kind, String updateType, Instant at) {
            this(sequence, ordinal, householdId, kind, updateType, at, null, null);
        }
    }

    /**
     * On the update thread, after {@code change} was journaled and applied; call {@code durable} (on any thread,
     * once) when what the listener must do about it is itself durable. Must not block.
     */
    void changed(Change change, Runnable durable);

    /** At start, before updates are decided: the journaled updates replayed after the last checkpoint, in order. */
    default void replayed(List<Change> changes) {
    }

    /**
     * Tells each of {@code listeners} of every change, in turn; the change is durable once each has said so. An
     * exception of one is logged and counts as its answer.
     */
    static HouseholdListener all(HouseholdListener... listeners) {
        List<HouseholdListener> ls = List.of(listeners);
        return new HouseholdListener() {
            @Override
            public void changed(Change change, Runnable durable) {
                java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger(
                        ls.size());
                Runnable one = () -> {
                    if (waiting.decrementAndGet() == 0) {
                        durable.run();
                    }
                };
                for (HouseholdListener l : ls) {
                    try {
                        l.changed(change, one);
                    } catch (RuntimeException e) {
                        java.util.logging.Logger.getLogger(HouseholdListener.class.getName()).log(
                                java.util.logging.Level.SEVERE, "a listener of update " + change.sequence()
                                        + " failed: " + e, e);
                        one.run();
                    }
                }
            }

            @Override
            public void replayed(List<Change> changes) {
                for (HouseholdListener l : ls) {
                    l.replayed(changes);
                }
            }
        };
    }
}

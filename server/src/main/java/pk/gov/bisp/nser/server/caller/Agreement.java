package pk.gov.bisp.nser.server.caller;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A data-sharing agreement (data-sharing protocol 4.1.5): what one organisation may see and why. Its purpose (text
 * and protocol category), the data classes and operations granted, the area, the users it names with the role of
 * each (the extent of use: who inside may see what), when it is valid, and its status as BISP set it. Immutable: a
 * change makes a new value.
 *
 * @param validFrom  the first instant it is valid (null: since always)
 * @param validUntil the instant it stops being valid (null: no end)
 * @param status     what BISP set: active, suspended, or revoked (final); expiry is not set but falls due, see
 *                   {@link #standing}
 * @param programmes the partner programmes it lets the organisation post enrolments and benefits for (issue 31), or
 *                   null when it does not say (a journal record from before they were journaled): then the
 *                   configuration's {@code agreement.programmes}
 */
public record Agreement(String id, String organisation, String purpose, PurposeCategory category,
                        Set<DataClass> dataClasses, Set<Operation> operations, AreaScope scope, List<Member> users,
                        Instant validFrom, Instant validUntil, Status status, Set<String> programmes) {

    /** What BISP set. */
    public enum Status {
        ACTIVE, SUSPENDED, REVOKED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether the agreement lets its users in at an instant, and if not why. */
    public enum Standing {
        ACTIVE, PENDING, SUSPENDED, EXPIRED, REVOKED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A user the agreement names.
     *
     * @param operations the operations of the agreement this user is given (empty: all of them)
     */
    public record Member(String userId, String name, Role role, Set<Operation> operations) {
    }

    public Agreement {
        dataClasses = Set.copyOf(dataClasses);
        operations = Set.copyOf(operations);
        users = List.copyOf(users);
        programmes = programmes == null ? null : Set.copyOf(programmes);
    }

    /** An agreement that does not say which partner programmes it covers (the configuration's, if any). */
    public Agreement(String id, String organisation, String purpose, PurposeCategory category,
                     Set<DataClass> dataClasses, Set<Operation> operations, AreaScope scope, List<Member> users,
                     Instant validFrom, Instant validUntil, Status status) {
        this(id, organisation, purpose, category, dataClasses, operations, scope, users, validFrom, validUntil, status,
                null);
    }

    /** The standing at {@code epochMillis}: revoked and suspended first, then before its start, then past its end. */
    public Standing standing(long epochMillis) {
        if (status == Status.REVOKED) {
            return Standing.REVOKED;
        }
        if (status == Status.SUSPENDED) {
            return Standing.SUSPENDED;
        }
        if (validFrom != null && epochMillis < validFrom.toEpochMilli()) {
            return Standing.PENDING;
        }
        if (validUntil != null && epochMillis >= validUntil.toEpochMilli()) {
            return Standing.EXPIRED;
        }
        return Standing.ACTIVE;
    }

    /** Pakistan Standard Time, in which a date without a time is read. */
    private static final java.time.ZoneId PAKISTAN = java.time.ZoneId.of("Asia/Karachi");

    /**
     * A validity bound: an ISO instant ({@code 2027-06-30T19:00:00Z}, or with an offset), or a date, read in
     * Pakistan time: valid from the start of that day, or valid until the end of that day (the start of the next).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Instant bound(String text, boolean until) {
        try {
            if (text.length() == 10) {
                java.time.LocalDate d = java.time.LocalDate.parse(text);
                return (until ? d.plusDays(1) : d).atStartOfDay(PAKISTAN).toInstant();
            }
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a date (2027-06-30) nor an instant with "
                    + "an offset (2027-06-30T19:00:00Z)");
        }
    }

    public Agreement withStatus(Status s) {
        return new Agreement(id, organisation, purpose, category, dataClasses, operations, scope, users, validFrom,
                validUntil, s, programmes);
    }

    /** The member {@code userId}, or null. */
    public Member member(String userId) {
        for (Member m : users) {
            if (m.userId().equals(userId)) {
                return m;
            }
        }
        return null;
    }
}

package pk.gov.bisp.nser.server.search;

import io.vertx.core.buffer.Buffer;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.server.config.Role;
import pk.gov.bisp.nser.server.http.JsonBytes;
import pk.gov.bisp.nser.server.projection.CsvRows;
import pk.gov.bisp.nser.server.projection.HouseholdWriter;

/** Encodes list rows in one {@link RowFormat} into a buffer that the stream drains after each batch. */
abstract class RowEncoder {

    private static final JsonBytes.Name ITEMS = JsonBytes.name("items");
    private static final JsonBytes.Name NEXT = JsonBytes.name("next_cursor");
    private static final JsonBytes.Name TOTAL = JsonBytes.name("total");

    final Role role;
    final Pseudonyms pseudonyms;

    RowEncoder(Role role, Pseudonyms pseudonyms) {
        this.role = role;
        this.pseudonyms = pseudonyms;
    }

    static RowEncoder of(RowFormat f, Role role, Pseudonyms p, HouseholdWriter json, CsvRows csv) {
        return f == RowFormat.CSV ? new Csv(role, p, csv) : new Json(role, p, json, f == RowFormat.NDJSON);
    }

    String pseudonym(HouseholdRecord r) {
        return role == Role.BASIC ? pseudonyms.of(r.householdId()) : null;
    }

    abstract void begin();

    abstract void row(HouseholdRecord r);

    /** Closes the document; {@code total} is written when not negative. */
    abstract void end(String nextCursor, long total);

    /** What was encoded since the last drain. */
    abstract Buffer drain();

    /** Bytes encoded and not yet drained. */
    abstract int pending();

    /** JSON pages ({@code {"items": [...], "next_cursor": ...}}) and NDJSON (one household per line). */
    private static final class Json extends RowEncoder {
        private final HouseholdWriter writer;
        private final boolean ndjson;
        private final JsonBytes out = new JsonBytes(64 * 1024);

        Json(Role role, Pseudonyms p, HouseholdWriter writer, boolean ndjson) {
            super(role, p);
            this.writer = writer;
            this.ndjson = ndjson;
        }

        @Override
        void begin() {
            if (!ndjson) {
                out.startObject().field(ITEMS).startArray();
            }
        }

        @Override
        void row(HouseholdRecord r) {
            writer.listRow(out, r, role, pseudonym(r));
            if (ndjson) {
                out.newline();
            }
        }

        @Override
        void end(String nextCursor, long total) {
            if (!ndjson) {
                out.endArray().field(NEXT).value(nextCursor);
                if (total >= 0) {
                    out.field(TOTAL).value(total);
                }
                out.endObject();
            }
        }

        @Override
        Buffer drain() {
            return out.drain();
        }

        @Override
        int pending() {
            return out.size();
        }
    }

    /** A header line, then one line per household. */
    private static final class Csv extends RowEncoder {
        private final CsvRows rows;
        private final StringBuilder b = new StringBuilder(64 * 1024);

        Csv(Role role, Pseudonyms p, CsvRows rows) {
            super(role, p);
            this.rows = rows;
        }

        @Override
        void begin() {
            b.append(CsvRows.header(role));
        }

        @Override
        void row(HouseholdRecord r) {
            rows.row(b, r, role, pseudonym(r));
        }

        @Override
        void end(String nextCursor, long total) {
            // the cursor and total travel in headers
        }

        @Override
        Buffer drain() {
            Buffer out = Buffer.buffer(b.toString());
            b.setLength(0);
            return out;
        }

        @Override
        int pending() {
            return b.length();
        }
    }
}

package pk.gov.bisp.nser.server.search;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.json.JsonBytes;
import pk.gov.bisp.nser.server.projection.CsvRows;
import pk.gov.bisp.nser.server.projection.HouseholdWriter;
import pk.gov.bisp.nser.server.projection.SampleCells;

/**
 * Encodes list rows in one {@link RowFormat} into a buffer that the stream drains after each batch. A drain copies
 * what was encoded into a direct buffer from the allocator's pool, which Netty writes to the socket as it is (a
 * heap buffer would be copied once more, into a direct one, after being allocated on the heap for each chunk).
 */
abstract class RowEncoder {

    private static final JsonBytes.Name ITEMS = JsonBytes.name("items");
    private static final JsonBytes.Name NEXT = JsonBytes.name("next_cursor");
    private static final JsonBytes.Name TOTAL = JsonBytes.name("total");

    final Role role;
    final Pseudonyms pseudonyms;
    /** How finely Basic's rows show area and score (null for other roles). */
    final SampleCells cells;
    final ByteBufAllocator alloc;

    RowEncoder(Role role, Pseudonyms pseudonyms, SampleCells cells, ByteBufAllocator alloc) {
        this.role = role;
        this.pseudonyms = pseudonyms;
        this.cells = cells;
        this.alloc = alloc;
    }

    static RowEncoder of(RowFormat f, Role role, Pseudonyms p, SampleCells cells, HouseholdWriter json,
                         CsvRows csv) {
        return of(f, role, p, cells, json, csv, ByteBufAllocator.DEFAULT);
    }

    /** An encoder whose drained buffers come from {@code alloc}. */
    static RowEncoder of(RowFormat f, Role role, Pseudonyms p, SampleCells cells, HouseholdWriter json, CsvRows csv,
                         ByteBufAllocator alloc) {
        return f == RowFormat.CSV ? new Csv(role, p, cells, csv, alloc)
                : new Json(role, p, cells, json, f == RowFormat.NDJSON, alloc);
    }

    String pseudonym(HouseholdRecord r) {
        return role == Role.BASIC ? pseudonyms.of(r.householdId()) : null;
    }

    abstract void begin();

    abstract void row(HouseholdRecord r);

    /** Closes the document; {@code total} is written when not negative. */
    abstract void end(String nextCursor, long total);

    /** What was encoded since the last drain, in a pooled direct buffer that the caller owns and must release. */
    abstract ByteBuf drain();

    /** Bytes encoded and not yet drained. */
    abstract int pending();

    /** JSON pages ({@code {"items": [...], "next_cursor": ...}}) and NDJSON (one household per line). */
    private static final class Json extends RowEncoder {
        private final HouseholdWriter writer;
        private final boolean ndjson;
        private final JsonBytes out = new JsonBytes(64 * 1024);

        Json(Role role, Pseudonyms p, SampleCells cells, HouseholdWriter writer, boolean ndjson,
             ByteBufAllocator alloc) {
            super(role, p, cells, alloc);
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
            writer.listRow(out, r, role, pseudonym(r), cells);
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
        ByteBuf drain() {
            return out.drainPooledDirect(alloc);
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

        Csv(Role role, Pseudonyms p, SampleCells cells, CsvRows rows, ByteBufAllocator alloc) {
            super(role, p, cells, alloc);
            this.rows = rows;
        }

        @Override
        void begin() {
            b.append(CsvRows.header(role));
        }

        @Override
        void row(HouseholdRecord r) {
            rows.row(b, r, role, pseudonym(r), cells);
        }

        @Override
        void end(String nextCursor, long total) {
            // the cursor and total travel in headers
        }

        @Override
        ByteBuf drain() {
            ByteBuf out = alloc.directBuffer(ByteBufUtil.utf8Bytes(b));
            ByteBufUtil.writeUtf8(out, b);
            b.setLength(0);
            return out;
        }

        @Override
        int pending() {
            return b.length();
        }
    }
}

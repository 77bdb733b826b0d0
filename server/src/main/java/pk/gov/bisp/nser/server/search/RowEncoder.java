package pk.gov.bisp.nser.server.search;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.server.config.Role;
import pk.gov.bisp.nser.server.projection.CsvRows;
import pk.gov.bisp.nser.server.projection.HouseholdWriter;

/** Encodes list rows in one {@link RowFormat} into a buffer that the stream drains after each batch. */
abstract class RowEncoder {

    private static final JsonFactory JSON = new JsonFactory();
    private static final SerializedString ITEMS = new SerializedString("items");
    private static final SerializedString NEXT = new SerializedString("next_cursor");
    private static final SerializedString TOTAL = new SerializedString("total");

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
        private final ByteArrayBuilder buf = new ByteArrayBuilder(64 * 1024);
        private final JsonGenerator g;
        private boolean any;

        Json(Role role, Pseudonyms p, HouseholdWriter writer, boolean ndjson) {
            super(role, p);
            this.writer = writer;
            this.ndjson = ndjson;
            try {
                g = JSON.createGenerator(buf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            g.setRootValueSeparator(new SerializedString("\n"));
        }

        @Override
        void begin() {
            try {
                if (!ndjson) {
                    g.writeStartObject();
                    g.writeFieldName(ITEMS);
                    g.writeStartArray();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void row(HouseholdRecord r) {
            try {
                writer.listRow(g, r, role, pseudonym(r));
                any = true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void end(String nextCursor, long total) {
            try {
                if (ndjson) {
                    if (any) {
                        g.writeRaw('\n');
                    }
                } else {
                    g.writeEndArray();
                    g.writeFieldName(NEXT);
                    if (nextCursor == null) {
                        g.writeNull();
                    } else {
                        g.writeString(nextCursor);
                    }
                    if (total >= 0) {
                        g.writeFieldName(TOTAL);
                        g.writeNumber(total);
                    }
                    g.writeEndObject();
                }
                g.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        Buffer drain() {
            try {
                g.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Buffer b = Buffer.buffer(buf.toByteArray());
            buf.reset();
            return b;
        }

        @Override
        int pending() {
            return buf.size() + g.getOutputBuffered();
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

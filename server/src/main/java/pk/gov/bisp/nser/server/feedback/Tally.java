package pk.gov.bisp.nser.server.feedback;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one organisation's points of sale have posted for one household: counts, money (paisa), the first and
 * last purchase time, and totals per programme and per item (code and unit). Not thread-safe: {@link Summaries}
 * guards each household's tallies and hands out copies.
 */
public final class Tally {

    /** Totals of one item code in one unit. */
    public static final class ItemTotal {
        public final String code;
        public final String unit;
        public long lines;
        public long quantityMilli;
        public long amountPaisa;
        public long subsidyPaisa;

        ItemTotal(String code, String unit) {
            this.code = code;
            this.unit = unit;
        }
    }

    /** Totals of one programme: purchases, amount, subsidy. */
    public static final class ProgrammeTotal {
        public long purchases;
        public long amountPaisa;
        public long subsidyPaisa;
    }

    public long purchases;
    public long amountPaisa;
    public long subsidyPaisa;
    public long firstMillis = Long.MAX_VALUE;
    public long lastMillis = Long.MIN_VALUE;
    /** By programme id, sorted. */
    public final Map<String, ProgrammeTotal> byProgramme = new TreeMap<>();
    /** By item code then unit, sorted. */
    public final Map<String, ItemTotal> items = new TreeMap<>();

    void add(Purchase p) {
        purchases++;
        amountPaisa += p.amountPaisa();
        subsidyPaisa += p.subsidyPaisa();
        firstMillis = Math.min(firstMillis, p.purchasedAtMillis());
        lastMillis = Math.max(lastMillis, p.purchasedAtMillis());
        ProgrammeTotal t = byProgramme.computeIfAbsent(p.programme(), k -> new ProgrammeTotal());
        t.purchases++;
        t.amountPaisa += p.amountPaisa();
        t.subsidyPaisa += p.subsidyPaisa();
        for (Purchase.Item i : p.items()) {
            ItemTotal it = items.computeIfAbsent(i.code() + ' ' + i.unit(), k -> new ItemTotal(i.code(), i.unit()));
            it.lines++;
            it.quantityMilli += i.quantityMilli();
            it.amountPaisa += i.amountPaisa();
            it.subsidyPaisa += i.subsidyPaisa();
        }
    }

    Tally copy() {
        Tally c = new Tally();
        c.purchases = purchases;
        c.amountPaisa = amountPaisa;
        c.subsidyPaisa = subsidyPaisa;
        c.firstMillis = firstMillis;
        c.lastMillis = lastMillis;
        byProgramme.forEach((k, v) -> {
            ProgrammeTotal t = new ProgrammeTotal();
            t.purchases = v.purchases;
            t.amountPaisa = v.amountPaisa;
            t.subsidyPaisa = v.subsidyPaisa;
            c.byProgramme.put(k, t);
        });
        items.forEach((k, v) -> {
            ItemTotal t = new ItemTotal(v.code, v.unit);
            t.lines = v.lines;
            t.quantityMilli = v.quantityMilli;
            t.amountPaisa = v.amountPaisa;
            t.subsidyPaisa = v.subsidyPaisa;
            c.items.put(k, t);
        });
        return c;
    }
}

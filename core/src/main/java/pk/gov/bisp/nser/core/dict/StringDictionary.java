package pk.gov.bisp.nser.core.dict;

import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strings by dense id. Id 0 is the empty string. Ids fit in 24 bits ({@link #MAX_ID}). Appending is
 * synchronised; finding an existing string's id and reading a string by id are lock-free (dynamic updates add
 * names while lookups run; an import's parsing threads look names up all at once).
 */
public final class StringDictionary {

    public static final int MAX_ID = (1 << 24) - 1;

    private final ConcurrentHashMap<String, Integer> ids;
    private volatile String[] strings;
    private volatile int size;

    private StringDictionary(List<String> initial) {
        this.ids = new ConcurrentHashMap<>(Math.max(16, initial.size() * 2));
        this.strings = new String[Math.max(16, initial.size())];
        this.size = 0;
        for (String s : initial) {
            add(s);
        }
    }

    /** A new dictionary holding only the empty string at id 0. */
    public static StringDictionary empty() {
        return new StringDictionary(List.of(""));
    }

    /** A dictionary of these strings by position; the first must be the empty string, none may repeat. */
    public static StringDictionary of(List<String> strings) {
        if (strings.isEmpty() || !strings.get(0).isEmpty()) {
            throw new IllegalArgumentException("dictionary id 0 must be the empty string");
        }
        StringDictionary d = new StringDictionary(List.of());
        for (String s : strings) {
            if (d.ids.containsKey(s)) {
                throw new IllegalArgumentException("dictionary string repeats: '" + s + "'");
            }
            d.add(s);
        }
        return d;
    }

    /**
     * The id of {@code s}, adding it if new. A string already present is found without a lock (parsing threads of
     * an import meet the same names again and again); only an addition takes the lock.
     */
    public int idOf(String s) {
        Integer id = ids.get(s);
        return id != null ? id : addIfAbsent(s);
    }

    private synchronized int addIfAbsent(String s) {
        Integer id = ids.get(s);
        return id != null ? id : add(s);
    }

    /** The string with this id; throws if unknown. */
    public String get(int id) {
        int n = size;
        String[] a = strings;
        if (id < 0 || id >= n) {
            throw new IllegalArgumentException("dictionary id=" + id + " out of range 0.." + (n - 1));
        }
        return a[id];
    }

    public int size() {
        return size;
    }

    private int add(String s) {
        int id = size;
        if (id > MAX_ID) {
            throw new IllegalStateException("dictionary full: " + MAX_ID + " strings");
        }
        String[] a = strings;
        if (id == a.length) {
            String[] b = new String[a.length * 2];
            System.arraycopy(a, 0, b, 0, a.length);
            a = b;
        }
        a[id] = s;
        strings = a;
        size = id + 1; // published after the array, and read before it in get(): a reader never over-runs
        // the array it loads
        ids.put(s, id); // last: whoever finds the id without the lock finds get(id) able to answer it
        return id;
    }

    /** A copy of the strings in id order. */
    public synchronized List<String> toList() {
        List<String> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(strings[i]);
        }
        return out;
    }
}

package pk.gov.bisp.nser.server.http;

import io.netty.util.AsciiString;
import java.util.function.LongFunction;

/**
 * Header texts of small whole numbers (a bill's rows and amount, a record version's ETag), each made once, the first
 * time it is asked for, so that a hot answer does not format the same text again. Numbers outside the table are
 * formatted each time. Shared by the event loops: a race makes two equal texts, and an {@link AsciiString}'s fields
 * are final, so either is seen whole.
 */
public final class NumberTexts {

    private final AsciiString[] texts;
    private final LongFunction<String> format;

    /** Texts of 0 to {@code size - 1}, made by {@code format}. */
    public NumberTexts(int size, LongFunction<String> format) {
        this.texts = new AsciiString[size];
        this.format = format;
    }

    /** The text of {@code n}. */
    public CharSequence of(long n) {
        if (n < 0 || n >= texts.length) {
            return format.apply(n);
        }
        AsciiString t = texts[(int) n];
        if (t == null) {
            t = new AsciiString(format.apply(n));
            texts[(int) n] = t;
        }
        return t;
    }
}

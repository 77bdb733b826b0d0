package pk.gov.bisp.nser.server;

import java.time.Instant;
import java.time.InstantSource;

/** A clock a test sets: agreements expire and rotations end at the instant it says, with no waiting. */
public final class TestClock implements InstantSource {

    private volatile long millis;

    public TestClock(Instant start) {
        millis = start.toEpochMilli();
    }

    public void set(Instant t) {
        millis = t.toEpochMilli();
    }

    public void advanceSeconds(long s) {
        millis += s * 1_000;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
        return millis;
    }
}

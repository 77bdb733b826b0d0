package pk.gov.bisp.nser.core.journal;

/** A ring slot: one record waiting for the journal thread. The payload array is reused and grows as needed. */
final class JournalEvent {

    private static final byte[] EMPTY = new byte[0];
    /** Arrays grown past this are dropped after use, so one large record does not pin memory in its slot. */
    private static final int KEEP_BYTES = 64 << 10;

    int kind;
    byte[] payload = EMPTY;
    int length;
    /** Null when the slot holds no record to write. */
    Completion done;
    /** Assigned by the thread writing: the record's journal sequence, and its ring slot. */
    long sequence;
    long slot;

    /** Called by the publishing thread between claim and publish. */
    void set(int kind, byte[] src, int offset, int length, Completion done) {
        if (payload.length < length) {
            payload = new byte[Math.max(256, Integer.highestOneBit(length - 1) << 1)];
        }
        System.arraycopy(src, offset, payload, 0, length);
        this.kind = kind;
        this.length = length;
        this.done = done;
    }

    /** Takes the completion out of the slot (so it runs once) and lets go of an oversized payload. */
    Completion take() {
        Completion d = done;
        done = null;
        if (payload.length > KEEP_BYTES) {
            payload = EMPTY;
        }
        return d;
    }
}

package pk.gov.bisp.nser.server;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a start has opened so far (journals, stores, Vert.x), closed in reverse order if the start fails before
 * {@link #keep}; a kept start hands them to the server, which closes them at shutdown. One try-with-resources
 * instead of a hand-unwound catch for every step.
 */
final class StartupResources implements AutoCloseable {

    /** A resource whose close may throw anything checked. */
    @FunctionalInterface
    interface Resource {
        void close() throws Exception;
    }

    private final Deque<Resource> opened = new ArrayDeque<>();
    private boolean kept;

    /** Registers {@code r} to be closed if the start fails; returns it. */
    <T extends AutoCloseable> T add(T r) {
        opened.push(r::close);
        return r;
    }

    /** Registers a close action (e.g. {@code vertx::close}) to run if the start fails. */
    void addClose(Resource r) {
        opened.push(r);
    }

    /** The start succeeded: nothing is closed here. */
    void keep() {
        kept = true;
    }

    @Override
    public void close() throws IOException {
        if (kept) {
            return;
        }
        Exception first = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof IOException io) {
            throw io;
        } else if (first instanceof RuntimeException re) {
            throw re;
        } else if (first != null) {
            throw new IOException("could not close what the failed start had opened: " + first, first);
        }
    }
}

package pk.gov.bisp.nser.core.rescore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs tasks {@code 0..tasks-1} on {@code threads} threads (the caller's among them), each thread taking the
 * next task until none is left, with its own worker from {@code workers} (so per-thread scratch needs no
 * locking). The first failure stops the others from taking more tasks and is rethrown.
 */
public final class Parallel {

    /** Processes one task by its index. */
    @FunctionalInterface
    public interface Worker {
        void run(int task) throws Exception;
    }

    private Parallel() {
    }

    /** Ordinal chunk {@code task} of {@code chunk} ordinals is {@code [task * chunk, min(n, (task + 1) * chunk))}. */
    public static int chunks(int n, int chunk) {
        return (int) (((long) n + chunk - 1) / chunk);
    }

    public static void run(int tasks, int threads, Supplier<Worker> workers) throws Exception {
        AtomicInteger next = new AtomicInteger();
        Throwable[] failure = new Throwable[1];
        Runnable loop = () -> {
            try {
                Worker w = workers.get();
                for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                    w.run(t);
                }
            } catch (Exception | Error e) {
                next.set(tasks);
                synchronized (failure) {
                    if (failure[0] == null) {
                        failure[0] = e;
                    }
                }
            }
        };
        List<Thread> started = new ArrayList<>();
        for (int i = 1; i < Math.min(threads, tasks); i++) {
            Thread t = new Thread(loop, "nser-parallel-" + i);
            t.setDaemon(true);
            t.start();
            started.add(t);
        }
        loop.run();
        for (Thread t : started) {
            t.join();
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        if (failure[0] != null) {
            throw (Exception) failure[0];
        }
    }
}

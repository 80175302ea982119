package org.locasbench.harness.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Spreads work units over devices: one worker thread per listed device, each pulling the next unit from a shared queue,
 * so a slow unit never blocks the others. Results come back in unit order. Each worker owns what it opens per device
 * (e.g. its own copy of the model).
 */
public final class DevicePool {
    /** What a worker keeps for its device (a loaded model, say), created once per worker. */
    public interface WorkerFactory<W extends AutoCloseable> {
        W open(String device) throws Exception;
    }

    public interface Work<U, W, R> {
        R run(U unit, W worker, String device) throws Exception;
    }

    private DevicePool() {}

    public static <U, W extends AutoCloseable, R> List<R> run(List<U> units, List<String> devices,
            WorkerFactory<W> factory, Work<U, W, R> work) throws Exception {
        List<R> results = new ArrayList<>(java.util.Collections.nCopies(units.size(), null));
        ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < units.size(); i++) {
            queue.add(i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(devices.size());
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (String device : devices) {
                workers.add(pool.submit(() -> {
                    try (W worker = factory.open(device)) {
                        for (Integer i; (i = queue.poll()) != null; ) {
                            R r = work.run(units.get(i), worker, device);
                            synchronized (results) {
                                results.set(i, r);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    queue.clear();
                    throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return results;
    }
}

package org.locasbench.harness.cli;

import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns running out of a resource (GPU memory, libtorch host memory, Java direct memory, Java heap, disk) into one
 * {@code error:} line naming what ran out, how much was asked when the underlying message says it, and the option to
 * change. Walks the whole cause chain: DJL, the experiment runners and picocli wrap. A pure function of the throwable
 * (and of the heap limit it quotes), so it is tested without running out of anything.
 */
public final class ResourceErrors {
    /** Where JVM options go: the bundle launcher's variable and the {@code mvn -Pmain} property (harness/pom.xml). */
    static final String BUNDLE_OPTS = "LOCAS_JAVA_OPTS";
    static final String MAVEN_OPTS = "-Dmain.jvm";
    /** bin/runtime-env's defaults; LOCAS_JAVA_OPTS replaces them, so a suggestion repeats the one it does not raise. */
    static final String BUNDLE_HEAP = "-Xmx8g";
    static final String BUNDLE_DIRECT = "-XX:MaxDirectMemorySize=32g";

    private static final String SIZE = "[0-9]+(?:\\.[0-9]+)? ?(?:bytes|[KMGTP]iB|[KMGTP]B|B)";
    private static final Pattern CUDA_OOM = Pattern.compile("CUDA out of memory");
    private static final Pattern CUDA_TRIED = Pattern.compile("Tried to allocate (" + SIZE + ")");
    /** libtorch 2.x: "GPU 0 has a total capacity of 139.81 GiB of which 1.20 GiB is free." */
    private static final Pattern CUDA_FREE = Pattern.compile("GPU (\\d+) has a total capacity of (" + SIZE
            + ") of which (" + SIZE + ") is free");
    /** libtorch 1.x: "(GPU 0; 15.78 GiB total capacity; 14.56 GiB already allocated; 3.44 MiB free; ...)". */
    private static final Pattern CUDA_FREE_OLD = Pattern.compile("\\(GPU (\\d+); (" + SIZE + ") total capacity;.*?("
            + SIZE + ") free");
    private static final Pattern CUDA_OTHER = Pattern.compile("CUDA error: out of memory|CUBLAS_STATUS_ALLOC_FAILED"
            + "|CUDNN_STATUS_ALLOC_FAILED");
    private static final Pattern CPU_ALLOC = Pattern.compile("DefaultCPUAllocator: [^\\n]*?you tried to allocate "
            + "(\\d+) bytes");
    private static final Pattern DIRECT = Pattern.compile("Cannot reserve (\\d+) bytes of direct buffer memory "
            + "\\(allocated: (\\d+), limit: (\\d+)\\)");
    private static final Pattern DISK_FULL = Pattern.compile("No space left on device|Disk quota exceeded");
    /** "PATH: No space left on device" (FileSystemException, AtomicFiles), "PATH (No space ...)" (FileOutputStream). */
    private static final Pattern DISK_PATH = Pattern.compile("(/[^\\s:()]+)(?::| \\() ?(?:No space left on device"
            + "|Disk quota exceeded)");
    private static final Pattern DISK_NEEDED = Pattern.compile("(?:needs?|needed|requires?|required|"
            + "tried to write|writing) (\\d+) bytes");

    private ResourceErrors() {}

    /** The one-line message (without the {@code error: } prefix) if {@code t} or a cause is resource exhaustion. */
    public static Optional<String> describe(Throwable t) {
        return describe(t, Runtime.getRuntime().maxMemory());
    }

    /** As {@link #describe(Throwable)}, quoting {@code maxHeapBytes} as the current {@code -Xmx}. */
    public static Optional<String> describe(Throwable t, long maxHeapBytes) {
        List<Throwable> chain = chain(t);
        for (Function<List<Throwable>, Optional<String>> rule : List.<Function<List<Throwable>, Optional<String>>>of(
                ResourceErrors::gpu, ResourceErrors::libtorchHost, ResourceErrors::direct,
                c -> heap(c, maxHeapBytes), ResourceErrors::disk)) {
            Optional<String> m = rule.apply(chain);
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    /** {@code t} and its causes and suppressed exceptions, each once, outermost first. */
    static List<Throwable> chain(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> todo = new ArrayList<>();
        if (t != null) {
            todo.add(t);
        }
        while (!todo.isEmpty()) {
            Throwable x = todo.remove(0);
            if (x == null || !seen.add(x)) {
                continue;
            }
            out.add(x);
            todo.add(x.getCause());
            Collections.addAll(todo, x.getSuppressed());
        }
        return out;
    }

    private static Optional<String> gpu(List<Throwable> chain) {
        for (Throwable x : chain) {
            String msg = x.getMessage();
            if (msg == null) {
                continue;
            }
            boolean oom = CUDA_OOM.matcher(msg).find();
            Matcher other = CUDA_OTHER.matcher(msg);
            if (!oom && !other.find()) {
                continue;
            }
            String device = "";
            List<String> amounts = new ArrayList<>();
            Matcher tried = CUDA_TRIED.matcher(msg);
            if (tried.find()) {
                amounts.add("tried to allocate " + tried.group(1));
            }
            Matcher free = CUDA_FREE.matcher(msg);
            Matcher freeOld = CUDA_FREE_OLD.matcher(msg);
            if (free.find()) {
                device = " on gpu:" + free.group(1);
                amounts.add(free.group(3) + " free of " + free.group(2));
            } else if (freeOld.find()) {
                device = " on gpu:" + freeOld.group(1);
                amounts.add(freeOld.group(3) + " free of " + freeOld.group(2));
            }
            if (!oom) {
                amounts.add(other.group());
            }
            return Optional.of("out of GPU memory" + device + (amounts.isEmpty() ? "" : " (" + String.join(", ",
                    amounts) + ")") + ": use a smaller --window / --context (run: --set window.size=N / --set "
                    + "window.context=N), a smaller MMLU batch (--set mmlu.batchSize=N), GRPO in micro-batches (--set "
                    + "grpo.microBatch=N), --precision fp16, or a "
                    + "larger GPU");
        }
        return Optional.empty();
    }

    private static Optional<String> libtorchHost(List<Throwable> chain) {
        for (Throwable x : chain) {
            Matcher m = x.getMessage() == null ? null : CPU_ALLOC.matcher(x.getMessage());
            if (m != null && m.find()) {
                return Optional.of("out of host memory in libtorch (tried to allocate " + bytes(Long.parseLong(
                        m.group(1))) + "): use a smaller --window / --context (run: --set window.size=N / --set "
                        + "window.context=N), --precision fp16, or a host with more memory");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> direct(List<Throwable> chain) {
        for (Throwable x : chain) {
            if (!(x instanceof OutOfMemoryError) || x.getMessage() == null) {
                continue;
            }
            Matcher m = DIRECT.matcher(x.getMessage());
            if (m.find()) {
                long asked = Long.parseLong(m.group(1));
                long allocated = Long.parseLong(m.group(2));
                long limit = Long.parseLong(m.group(3));
                String more = "-XX:MaxDirectMemorySize=" + gib(Math.max(2 * limit, allocated + 2 * asked));
                return Optional.of("out of Java direct memory (tried to reserve " + bytes(asked) + " with "
                        + bytes(allocated) + " of the " + bytes(limit) + " limit in use): raise the limit, e.g. "
                        + BUNDLE_OPTS + "=\"" + BUNDLE_HEAP + " " + more + "\" for bin/locas-bench, " + MAVEN_OPTS
                        + "=\"-Xmx4g " + more + "\" for mvn -Pmain");
            }
            if (x.getMessage().contains("Direct buffer memory")) {
                return Optional.of("out of Java direct memory: raise -XX:MaxDirectMemorySize, e.g. " + BUNDLE_OPTS
                        + "=\"" + BUNDLE_HEAP + " -XX:MaxDirectMemorySize=64g\" for bin/locas-bench, " + MAVEN_OPTS
                        + "=\"-Xmx4g -XX:MaxDirectMemorySize=16g\" for mvn -Pmain");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> heap(List<Throwable> chain, long maxHeapBytes) {
        for (Throwable x : chain) {
            if (!(x instanceof OutOfMemoryError)) {
                continue;
            }
            String msg = x.getMessage() == null ? "" : x.getMessage();
            String more = "-Xmx" + gib(2 * maxHeapBytes);
            String raise = BUNDLE_OPTS + "=\"" + more + " " + BUNDLE_DIRECT + "\" for bin/locas-bench, "
                    + MAVEN_OPTS + "=\"" + more + "\" for mvn -Pmain";
            if (msg.contains("Java heap space") || msg.contains("GC overhead limit exceeded")) {
                return Optional.of("out of Java heap space (heap limit " + bytes(maxHeapBytes) + "): raise -Xmx, e.g. "
                        + raise);
            }
            // Metaspace, native threads, an array over the VM limit: name it and where JVM options go
            return Optional.of("the JVM ran out of memory (" + (msg.isEmpty() ? "OutOfMemoryError" : msg)
                    + "): raise the matching limit in " + BUNDLE_OPTS + " (bin/locas-bench) or " + MAVEN_OPTS
                    + " (mvn -Pmain)");
        }
        return Optional.empty();
    }

    private static Optional<String> disk(List<Throwable> chain) {
        Throwable full = null;
        for (Throwable x : chain) {
            if (x.getMessage() != null && DISK_FULL.matcher(x.getMessage()).find()) {
                full = x;
                break;
            }
        }
        if (full == null) {
            return Optional.empty();
        }
        String what = String.valueOf(full.getMessage()).contains("quota") ? "out of disk quota" : "out of disk space";
        String path = null;
        String needed = null;
        for (Throwable x : chain) {
            if (path == null && x instanceof FileSystemException fse && fse.getFile() != null) {
                path = fse.getOtherFile() != null ? fse.getOtherFile() : fse.getFile(); // copy, move: the target
            }
            String msg = x.getMessage();
            if (msg == null) {
                continue;
            }
            Matcher p = DISK_PATH.matcher(msg);
            if (path == null && p.find()) {
                path = p.group(1);
            }
            Matcher n = DISK_NEEDED.matcher(msg);
            if (needed == null && n.find()) {
                needed = bytes(Long.parseLong(n.group(1)));
            }
        }
        return Optional.of(what + (path == null ? "" : " writing " + path) + (needed == null ? "" : " (needed "
                + needed + ")") + ": free space on that file system or choose another --out");
    }

    /** Bytes in binary units: {@code 512 bytes}, {@code 8.0 MiB}, {@code 2.00 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f %s" : "%.1f %s", v, units[u]);
    }

    /** A JVM size option value in whole GiB, rounded up, at least 1g. */
    static String gib(long n) {
        long g = Math.max(1, (n + (1L << 30) - 1) >> 30);
        return g + "g";
    }
}

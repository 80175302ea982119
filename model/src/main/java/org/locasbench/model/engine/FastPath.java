package org.locasbench.model.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which path runs: the pure-DJL one (the default, and the only one on the CPU and in CI) or the GPU fast path through
 * Locas Bench's own native library ({@code native/}, built on a GPU runner against that runner's libtorch: see the
 * README). The library is used only when it is named ({@code -Dlocas.native.library=PATH} or
 * {@code LOCAS_NATIVE_LIBRARY}) and the arrays are on a CUDA device; which of its levers run is
 * {@code -Dlocas.fastpath=all|none|LEVER,...} (default all). A named library that is missing, does not load, or was
 * built against another libtorch than the one DJL runs is an error, never a silent fallback.
 */
public final class FastPath {
    public static final String LIBRARY_PROPERTY = "locas.native.library";
    public static final String LIBRARY_ENV = "LOCAS_NATIVE_LIBRARY";
    public static final String LEVERS_PROPERTY = "locas.fastpath";
    /** Lets the fused kernels run on CPU arrays too (the library's CPU build, for tests on a machine without a GPU). */
    public static final String CPU_PROPERTY = "locas.fastpath.cpu";

    /** The levers of the fast path, each measurable on its own (benchmarks/results/DATE-GPU/race.md). */
    public enum Lever {
        /** {@code at::scaled_dot_product_attention} (flash / memory-efficient) instead of matmul-softmax-matmul. */
        SDPA,
        /** {@code at::rms_norm}: one kernel instead of five. */
        RMS_NORM,
        /** {@code at::silu(gate) * up} in the frozen MLP: one kernel and one saved activation less per layer. */
        SWIGLU,
        /** The LM head and NLL of the scored positions in chunks: no [positions x vocabulary] fp32 logits kept. */
        LINEAR_NLL,
        /** {@code at::_fused_adamw_}: one call for every parameter, step and lr on the device. */
        FUSED_ADAMW,
        /**
         * The whole training step (forward, backward, AdamW) captured once as a CUDA graph and replayed per window; the
         * graph always holds the fused update (the eager one takes host scalars a graph would freeze), whatever
         * {@link #FUSED_ADAMW} says.
         */
        CUDA_GRAPH;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What was found: the library (null when none is named), what it was built against, and the levers on. */
    public record Status(Path library, String builtAgainst, boolean cuda, Set<Lever> levers) {
        public boolean loaded() {
            return library != null;
        }
    }

    private static volatile Status status;

    private FastPath() {}

    /** Loads the named library once (after DJL's libtorch, whose libraries it links against). */
    public static Status status() {
        Status s = status;
        if (s == null) {
            synchronized (FastPath.class) {
                if (status == null) {
                    status = load();
                }
                s = status;
            }
        }
        return s;
    }

    /** Whether {@code lever} runs for arrays on {@code device}. */
    public static boolean on(Lever lever, Device device) {
        Status s = status();
        if (!s.loaded() || !s.levers().contains(lever)) {
            return false;
        }
        if (lever == Lever.CUDA_GRAPH) {
            return s.cuda() && device.isGpu();
        }
        return device.isGpu() || Boolean.getBoolean(CPU_PROPERTY);
    }

    /** The one line that says which path runs on {@code device}. */
    public static String describe(Device device) {
        Status s = status();
        if (!s.loaded()) {
            return "path: pure DJL (no native library named; -D" + LIBRARY_PROPERTY + " or " + LIBRARY_ENV
                    + " enables the GPU fast path)";
        }
        StringBuilder on = new StringBuilder();
        for (Lever l : s.levers()) {
            if (on(l, device)) {
                on.append(on.length() == 0 ? "" : ",").append(l.key());
            }
        }
        if (on.length() == 0) {
            return "path: pure DJL on " + device + " (native library " + s.library() + " loaded, " + s.builtAgainst()
                    + "; no lever applies here: " + (device.isGpu() ? "-D" + LEVERS_PROPERTY + "=" + leversText(s)
                    : "CPU arrays") + ")";
        }
        return "path: fast on " + device + " (native library " + s.library() + ", " + s.builtAgainst() + "; levers "
                + on + ")";
    }

    private static String leversText(Status s) {
        return s.levers().isEmpty() ? "none" : String.join(",", s.levers().stream().map(Lever::key).toList());
    }

    /** Parses {@code all}, {@code none} or a comma-separated list of lever names; anything else is an error. */
    public static Set<Lever> parseLevers(String text) {
        String t = text == null ? "all" : text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("all")) {
            return EnumSet.allOf(Lever.class);
        }
        if (t.equals("none")) {
            return EnumSet.noneOf(Lever.class);
        }
        Set<Lever> levers = EnumSet.noneOf(Lever.class);
        for (String part : t.split(",")) {
            Lever found = null;
            for (Lever l : Lever.values()) {
                if (l.key().equals(part.trim())) {
                    found = l;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown fast-path lever '" + part.trim() + "' in -D"
                        + LEVERS_PROPERTY + "; use all, none or a list of " + String.join(", ",
                        java.util.Arrays.stream(Lever.values()).map(Lever::key).toList()));
            }
            levers.add(found);
        }
        return levers;
    }

    private static Status load() {
        Set<Lever> levers = parseLevers(System.getProperty(LEVERS_PROPERTY));
        String named = System.getProperty(LIBRARY_PROPERTY);
        String source = "-D" + LIBRARY_PROPERTY;
        if (named == null || named.isBlank()) {
            named = System.getenv(LIBRARY_ENV);
            source = LIBRARY_ENV;
        }
        if (named == null || named.isBlank()) {
            return new Status(null, null, false, levers);
        }
        Path library = Path.of(named).toAbsolutePath();
        if (!Files.isRegularFile(library)) {
            throw new IllegalArgumentException("native library " + library + " (" + source + ") does not exist; build "
                    + "it with `bash native/build.sh` on the GPU host, or unset " + source + " for the pure-DJL path");
        }
        String djlTorch = Engine.getEngine("PyTorch").getVersion(); // loads DJL's libtorch first
        try {
            System.load(library.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalArgumentException("native library " + library + " (" + source + ") does not load with "
                    + "the libtorch " + djlTorch + " DJL runs (" + e.getMessage() + "); rebuild it against that "
                    + "libtorch (`bash native/build.sh`) or unset " + source);
        }
        String built = NativeTorch.buildInfo();
        requireSameTorch(built, djlTorch, library, source);
        return new Status(library, built, NativeTorch.hasCuda(), levers);
    }

    /**
     * A library built against another libtorch than DJL's may load (same sonames) and then crash on a struct that
     * changed: refused, naming both versions and the fix. {@code built} is the library's "torch X.Y.Z cuda|cpu".
     */
    static void requireSameTorch(String built, String djlTorch, Path library, String source) {
        String[] parts = built.split(" ");
        if (parts.length < 2 || !versionCore(parts[1]).equals(versionCore(djlTorch))) {
            throw new IllegalArgumentException("native library " + library + " was built against " + built + " but DJL "
                    + "runs libtorch " + djlTorch + "; rebuild it against that libtorch (`bash native/build.sh` with "
                    + "its Python) or unset " + source);
        }
    }

    /** "2.11.0+cu130" -> "2.11.0". */
    static String versionCore(String version) {
        int plus = version.indexOf('+');
        return plus < 0 ? version.trim() : version.substring(0, plus).trim();
    }

    /**
     * Runs with only {@code levers} on until closed (the library stays as loaded): for tests and benchmarks that
     * compare levers within one JVM. Not for concurrent use.
     */
    public static AutoCloseable withLevers(Set<Lever> levers) {
        Status before = status();
        status = new Status(before.library(), before.builtAgainst(), before.cuda(), EnumSet.copyOf(
                levers.isEmpty() ? EnumSet.noneOf(Lever.class) : levers));
        return () -> status = before;
    }

    /** For tests: forget what was loaded (the library stays in the JVM; only the levers and checks are redone). */
    public static synchronized void reset() {
        status = null;
    }
}

package org.locasbench.harness.ttt;

import org.locasbench.harness.protocol.Window;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.Memorizer;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.TrainableAdapter;

/**
 * Expandable memory: after every {@code every}-th window (not the last), the Locas memory grows by {@code rows} rows
 * per layer (fewer at the end so it never passes {@code maxWidth}), chosen by its init strategy from that window's new
 * tokens ({@link Memorizer#grow}). tau stays the one memorize fixed at the initial width: a recomputed tau
 * (mean ||W_down col|| / r_new) would rescale the trained rows and change the output at the moment of growth.
 */
public record MemoryGrowth(int startWidth, int every, int rows, int maxWidth) {
    public MemoryGrowth {
        if (every < 1 || rows < 1 || maxWidth <= startWidth || startWidth < 1) {
            throw new IllegalArgumentException("memory growth needs every >= 1 window, rows >= 1, 1 <= start width < maxWidth");
        }
    }

    /**
     * Refuses, before any training, a schedule the memory cannot follow: a strategy that clones frozen neurons cannot
     * grow past the MLP's intermediate size.
     */
    public void check(Qwen3Model model, TrainableAdapter adapter) {
        if (!(adapter instanceof LocasMemory memory)) {
            throw new IllegalArgumentException("locas.growEvery: only a Locas memory grows");
        }
        int neurons = model.config().intermediateSize();
        var init = memory.info().init();
        if (init.clonesNeurons() && maxWidth > neurons) {
            throw new IllegalArgumentException("locas.maxWidth " + maxWidth + " exceeds the " + neurons + " MLP "
                    + "neurons that init " + init.id() + " clones rows from: use locas.maxWidth <= " + neurons);
        }
    }

    /** Windows a plan needs for the memory to reach maxWidth (it grows after windows every-1, 2 every-1, ...). */
    public int windowsToReachMaxWidth() {
        int steps = (maxWidth - startWidth + rows - 1) / rows;
        return steps * every + 1;
    }

    /** Grows {@code adapter} after window {@code w} of a plan of {@code windows} when the schedule says so. */
    public void afterWindow(Qwen3Model model, TrainableAdapter adapter, long[] ids, Window w, int windows) {
        if (!(adapter instanceof LocasMemory memory)) {
            throw new IllegalStateException("only a Locas memory grows");
        }
        int width = memory.width();
        if ((w.index() + 1) % every != 0 || w.index() == windows - 1 || width >= maxWidth) {
            return;
        }
        Memorizer.grow(model, memory, java.util.Arrays.copyOfRange(ids, w.start(), w.end()),
                Math.min(rows, maxWidth - width), w.index());
    }
}

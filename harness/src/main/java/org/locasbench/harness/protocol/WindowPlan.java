package org.locasbench.harness.protocol;

import java.util.ArrayList;
import java.util.List;

/** Splits {@code tokens} positions into consecutive windows of {@code windowSize} with up to {@code contextSize} before each. */
public final class WindowPlan {
    private WindowPlan() {}

    public static List<Window> of(int tokens, int windowSize, int contextSize) {
        if (windowSize <= 0) {
            throw new IllegalArgumentException("window size must be positive, got " + windowSize);
        }
        if (contextSize < 0) {
            throw new IllegalArgumentException("context size must be >= 0, got " + contextSize);
        }
        List<Window> windows = new ArrayList<>();
        for (int start = 0, i = 0; start < tokens; start += windowSize, i++) {
            int end = Math.min(tokens, start + windowSize);
            // at least one token of context, so the window's first token has something to be predicted from
            int context = Math.max(contextSize, 1);
            windows.add(new Window(i, Math.max(0, start - context), start, end));
        }
        return windows;
    }
}

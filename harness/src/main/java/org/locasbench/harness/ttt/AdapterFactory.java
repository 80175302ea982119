package org.locasbench.harness.ttt;

import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.TrainableAdapter;

/** Creates a method's fresh adapter at the first window (Locas memorizes that window's tokens; LoRA ignores them). */
@FunctionalInterface
public interface AdapterFactory {
    TrainableAdapter create(Qwen3Model model, long[] firstWindowIds);
}

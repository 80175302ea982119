package org.locasbench.model.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopedTest {
    /**
     * A scalar saved by autograd must survive until the backward pass, even when the garbage collector runs and fresh
     * native buffers reuse freed memory in between (DJL's own mul(Number) does not guarantee this).
     */
    @Test
    void scalarSavedForBackwardSurvivesGarbageCollection() throws Exception {
        try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
            NDArray w = base.create(new float[] {1, 2, 3, 4}, new Shape(4));
            w.setRequiresGradient(true);
            for (int round = 0; round < 20; round++) {
                try (NDManager scope = base.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray x = Scoped.use(w, scope);
                    NDArray y = x.mul(Scoped.scalar(x, 3.0)).sum();
                    List<ByteBuffer> junk = new ArrayList<>();
                    System.gc();
                    for (int i = 0; i < 64; i++) {
                        ByteBuffer b = ByteBuffer.allocateDirect(64);
                        while (b.hasRemaining()) {
                            b.put((byte) 0x7f);
                        }
                        junk.add(b);
                    }
                    gc.backward(y);
                }
                NDArray grad = w.getGradient();
                assertThat(grad.toFloatArray()).containsExactly(3f, 3f, 3f, 3f);
                grad.subi(grad);
                grad.close();
            }
        }
    }

    @Test
    void scalarTakesTheDtypeOfItsNeighbourAndIsSharedAndOutlivesScopes() {
        NDArray shared;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray d = m.create(new double[] {1.0});
            assertThat(Scoped.scalar(d, 0.5).getDataType()).isEqualTo(d.getDataType());
            NDArray f = m.create(new float[] {1f});
            shared = Scoped.scalar(f, 0.5);
            assertThat(shared.getDataType()).isEqualTo(f.getDataType());
            assertThat(shared.getDevice()).isEqualTo(f.getDevice());
            assertThat(Scoped.scalar(f, 0.5)).as("made once per device, dtype and value").isSameAs(shared);
            assertThat(Scoped.scalar(f, 0.25)).isNotSameAs(shared);
        }
        assertThat(shared.getFloat()).as("still readable after the scope that asked for it closed").isEqualTo(0.5f);
    }
}

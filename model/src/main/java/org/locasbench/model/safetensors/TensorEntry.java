package org.locasbench.model.safetensors;

import java.util.Arrays;

/** One tensor of a safetensors header: byte range [begin, end) relative to the start of the data section. */
public record TensorEntry(String name, StoredType type, long[] shape, long begin, long end) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long byteLength() {
        return end - begin;
    }

    @Override
    public String toString() {
        return name + " " + type + Arrays.toString(shape);
    }
}

package org.locasbench.model.safetensors;

import java.nio.file.Path;
import org.locasbench.model.ModelFormatException;

/** The element types of the safetensors format, with their width in bytes. */
public enum StoredType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    StoredType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    static StoredType parse(Path file, String tensor, String name) {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "tensor '" + tensor + "' has dtype '" + name
                    + "', which this reader does not support (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        }
    }
}

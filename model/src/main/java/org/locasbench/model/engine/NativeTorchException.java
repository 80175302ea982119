package org.locasbench.model.engine;

/** A libtorch error raised inside Locas Bench's native library (its message, without the C++ backtrace). */
public final class NativeTorchException extends RuntimeException {
    public NativeTorchException(String message) {
        super(message);
    }
}

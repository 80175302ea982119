package org.locasbench.harness.config;

import ai.djl.Device;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Device names of the config and the command line: {@code cpu}, {@code cpu:N}, {@code gpu}, {@code gpu:N}. */
public final class Devices {
    private Devices() {}

    /**
     * The device a name stands for, by syntax only (config validation); {@code cpu:N} are several CPU workers (to test
     * the scheduling); {@code key} ({@code --device}, a config key) names the setting in errors.
     */
    public static Device parse(String spec, String key) {
        if (spec != null && spec.matches("cpu(:\\d+)?")) {
            return Device.cpu();
        }
        if (spec != null && spec.matches("gpu(:\\d{1,9})?")) {
            return Device.gpu(spec.contains(":") ? Integer.parseInt(spec.substring(4)) : 0);
        }
        throw new ConfigException(key, "'" + spec + "' is not a device (use cpu, gpu or gpu:N)");
    }

    /**
     * As {@link #parse}, checked against the GPUs this machine has (DJL's engine count) when the run starts, so a
     * missing GPU is one line naming the devices there are, not a libtorch trace later.
     */
    public static Device available(String spec, String key) {
        return available(spec, key, () -> ai.djl.engine.Engine.getInstance().getGpuCount());
    }

    /** As {@link #available(String, String)} with the machine's GPU count given (for tests). */
    public static Device available(String spec, String key, IntSupplier gpuCount) {
        Device device = parse(spec, key);
        if (!device.isGpu()) {
            return device;
        }
        int gpus = gpuCount.getAsInt();
        if (device.getDeviceId() >= gpus) {
            String have = gpus == 0 ? "has no GPU (devices: cpu)" : "has " + gpus + (gpus == 1 ? " GPU: " : " GPUs: ")
                    + IntStream.range(0, gpus).mapToObj(i -> "gpu:" + i).collect(Collectors.joining(", "));
            String where = key + (key.startsWith("--") ? " " : ": ") + spec;
            throw new IllegalArgumentException(where + ": this machine " + have + (gpus == 0
                    ? "; use --device cpu (run: --set run.devices=cpu), or a CUDA build of libtorch on a GPU host "
                    + "(README: GPU runners)" : ""));
        }
        return device;
    }
}

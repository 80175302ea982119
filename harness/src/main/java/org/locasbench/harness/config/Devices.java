package org.locasbench.harness.config;

import ai.djl.Device;

/** Device names of the config and the command line: {@code cpu}, {@code cpu:N}, {@code gpu}, {@code gpu:N}. */
public final class Devices {
    private Devices() {}

    /** {@code cpu:N} are several CPU workers (to test the scheduling); {@code key} names the setting in errors. */
    public static Device parse(String spec, String key) {
        if (spec != null && spec.matches("cpu(:\\d+)?")) {
            return Device.cpu();
        }
        if (spec != null && spec.matches("gpu(:\\d+)?")) {
            return Device.gpu(spec.contains(":") ? Integer.parseInt(spec.substring(4)) : 0);
        }
        throw new ConfigException(key, "'" + spec + "' is not a device (use cpu, gpu or gpu:N)");
    }
}

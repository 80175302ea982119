package org.locasbench.harness.config;

import java.util.List;
import org.locasbench.model.Precision;

/**
 * Section {@code run}: which model, on which devices, in which precision, with which seed, for which methods.
 *
 * @param model a model directory, hub-cache folder or hub id; null = the bundled model
 * @param devices one worker per device: cpu, cpu:N (scheduling tests), gpu, gpu:N
 */
public record RunSettings(String model, List<String> devices, Precision precision, long seed, List<Method> methods) {
    public RunSettings {
        ConfigException.require(devices != null && !devices.isEmpty(), "run.devices",
                "must list at least one device (cpu, gpu:0, ...)");
        List<ai.djl.Device> gpus = devices.stream().map(d -> Devices.parse(d, "run.devices"))
                .filter(ai.djl.Device::isGpu).toList();
        ConfigException.require(gpus.stream().distinct().count() == gpus.size(), "run.devices",
                "lists a GPU twice: " + devices + "; one worker per GPU (two would share its memory and the random "
                + "generator state its CUDA graphs replay)");
        ConfigException.require(precision != null, "run.precision", "must be fp32, fp16 or fp64");
        ConfigException.require(methods != null && !methods.isEmpty(), "run.methods",
                "must list at least one of none, long_context, locas, lora");
        ConfigException.require(methods.stream().distinct().count() == methods.size(), "run.methods",
                "lists a method twice: " + methods);
        devices = List.copyOf(devices);
        methods = List.copyOf(methods);
    }
}

package org.locasbench.harness.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import org.locasbench.results.Environment;

/** This run's environment for the results: the host, the device, and DJL's and the engine's versions. */
final class RunEnvironment {
    private RunEnvironment() {}

    static Environment capture(String device) {
        Map<String, String> libs = new LinkedHashMap<>();
        libs.put("djl", ai.djl.engine.Engine.getDjlVersion());
        libs.put("engine", ai.djl.engine.Engine.getInstance().getEngineName() + " "
                + ai.djl.engine.Engine.getInstance().getVersion());
        return Environment.capture(device, libs);
    }
}

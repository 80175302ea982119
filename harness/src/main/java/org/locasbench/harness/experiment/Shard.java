package org.locasbench.harness.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --shard i/n}: this host runs the units whose index modulo n is i (0-based). {@code --shard auto} reads i and
 * n from the CI's variables: the index from {@code LOCAS_SHARD_INDEX}, else {@code JOB_COMPLETION_INDEX} (Kubernetes
 * Indexed Jobs); the count from {@code LOCAS_SHARD_COUNT} (a CI matrix passes both, e.g. GitHub Actions'
 * {@code strategy.job-index} and {@code strategy.job-total}).
 */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("--shard must be i/n with 0 <= i < n, got " + index + "/" + count);
        }
    }

    public static Shard parse(String spec) {
        return parse(spec, System.getenv());
    }

    public static Shard parse(String spec, Map<String, String> env) {
        if (spec.equals("auto")) {
            String index = env.getOrDefault("LOCAS_SHARD_INDEX", env.get("JOB_COMPLETION_INDEX"));
            String count = env.get("LOCAS_SHARD_COUNT");
            if (index == null || count == null) {
                throw new IllegalArgumentException("--shard auto needs LOCAS_SHARD_INDEX (or Kubernetes' "
                        + "JOB_COMPLETION_INDEX) and LOCAS_SHARD_COUNT in the environment; found index "
                        + (index == null ? "unset" : index) + ", count " + (count == null ? "unset" : count));
            }
            return parse(index.trim() + "/" + count.trim(), env);
        }
        String[] parts = spec.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--shard must look like 0/4 or auto, got '" + spec + "'");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard must look like 0/4 or auto, got '" + spec + "'");
        }
    }

    public <U> List<U> select(List<U> units) {
        List<U> mine = new ArrayList<>();
        for (int i = index; i < units.size(); i += count) {
            mine.add(units.get(i));
        }
        return mine;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}

package org.locasbench.harness.experiment;

import java.util.ArrayList;
import java.util.List;

/** {@code --shard i/n}: this host runs the units whose index modulo n is i (0-based). */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("--shard must be i/n with 0 <= i < n, got " + index + "/" + count);
        }
    }

    public static Shard parse(String spec) {
        String[] parts = spec.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--shard must look like 0/4, got '" + spec + "'");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard must look like 0/4, got '" + spec + "'");
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

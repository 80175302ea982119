package org.locasbench.results;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Map;

/**
 * One line of the metric history ({@link MetricHistory}): the headline metrics of one {@link Result} (one experiment,
 * unit and method) as one run produced them, with what tells runs apart: the commit, the date, the machine and the
 * config. A trend series is {@link #seriesKey()}: the same result on the same machine with the same config.
 *
 * @param historyVersion {@link #VERSION}
 * @param commit the results' {@link Environment#gitCommit()}
 * @param date the results' {@link Environment#timestamp()} (ISO-8601 UTC)
 * @param machine host and hardware
 * @param configHash {@link MetricHistory#configHash} of the result's {@code config} tree (16 hex digits)
 * @param experiment {@link Result#experiment()}
 * @param unit {@link Result#unit()}: book, conversation, subjects
 * @param result {@link Result#name()}: what the baselines are keyed by
 * @param method {@link MethodInfo#id()}
 * @param label {@link MethodInfo#label()}
 * @param metrics headline metrics ({@link MetricHistory#headline}) by the baselines' names: a metric ({@code ppl}) or
 *     a breakdown entry ({@code ppl_at.1024}, {@code f1_by_category.temporal}); finite numbers
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"history_version", "commit", "date", "machine", "config_hash", "experiment", "unit", "result",
        "method", "label", "metrics"})
public record HistoryRecord(int historyVersion, String commit, String date, Machine machine, String configHash,
        String experiment, String unit, String result, String method, String label, Map<String, Double> metrics) {

    /** 1: locas-bench 0.2. */
    public static final int VERSION = 1;

    /**
     * Where a run ran. {@link #key()} (the hardware, not the host name: CI runners get a new name every job) tells
     * series apart; the host is kept to read.
     *
     * @param host the host name of the process that recorded the run ({@link MetricHistory#localHost()})
     * @param device {@link Environment.Hardware#device()}
     * @param cpus {@link Environment.Hardware#cpus()}
     * @param os {@link Environment.Hardware#os()}
     * @param arch {@link Environment.Hardware#arch()}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"host", "device", "cpus", "os", "arch"})
    public record Machine(String host, String device, int cpus, String os, String arch) {
        public Machine {
            Checks.requiredText(host, "machine.host");
            Checks.requiredText(device, "machine.device");
            Checks.required(os, "machine.os");
            Checks.required(arch, "machine.arch");
        }

        public static Machine of(String host, Environment.Hardware hw) {
            return new Machine(host, hw.device(), hw.cpus(), hw.os(), hw.arch());
        }

        /** The hardware fields joined: {@code cpu|2|Linux 6.1|amd64}. */
        public String key() {
            return device + "|" + cpus + "|" + os + "|" + arch;
        }

        /** Short, for legends: {@code cpu ×2 amd64}. */
        public String label() {
            return device + " ×" + cpus + " " + arch;
        }
    }

    public HistoryRecord {
        if (historyVersion != VERSION) {
            throw new IllegalArgumentException("metric history version " + historyVersion + " is not supported; this "
                    + "build reads and writes version " + VERSION);
        }
        Checks.requiredText(commit, "commit");
        Checks.requiredText(date, "date");
        try {
            Instant.parse(date);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("field 'date' is '" + date + "'; expected ISO-8601 UTC such as "
                    + "2026-01-31T12:00:00Z");
        }
        Checks.required(machine, "machine");
        Checks.requiredText(configHash, "config_hash");
        Checks.requiredText(experiment, "experiment");
        Checks.required(unit, "unit");
        Checks.requiredText(result, "result");
        Checks.requiredText(method, "method");
        Checks.requiredText(label, "label");
        metrics = Checks.finiteMap(metrics, "metrics", "history record of '" + result + "': metric");
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("field 'metrics' is empty; a history record has at least one metric");
        }
    }

    /** The trend series this record belongs to: result, machine, config. */
    public String seriesKey() {
        return result + "|" + machine.key() + "|" + configHash;
    }

    /** The same run recorded twice (a report re-run on the same results files): same series, commit and date. */
    public String runKey() {
        return seriesKey() + "|" + commit + "|" + date + "|" + machine.host();
    }

    /** The first 7 characters of the commit. */
    public String shortCommit() {
        return commit.length() <= 7 ? commit : commit.substring(0, 7);
    }

    /** The first 8 hex digits of the config hash. */
    public String shortConfigHash() {
        return configHash.length() <= 8 ? configHash : configHash.substring(0, 8);
    }
}

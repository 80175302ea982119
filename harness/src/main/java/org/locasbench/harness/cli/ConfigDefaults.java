package org.locasbench.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.harness.config.ConfigLoader;
import org.locasbench.harness.config.ConfigLoader.Setting;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Options that stand for a config key name it as their {@code descriptionKey} ({@code window.size}, ...): their
 * defaults come from {@code experiments/common.yaml} (shown by {@code --help} as {@code ${DEFAULT-VALUE}}), and their
 * values go through the same loader and records as {@code run}'s settings, so a command and an experiment given the
 * same settings train the same way.
 */
public final class ConfigDefaults implements IDefaultValueProvider {
    private final ObjectNode defaults = ConfigLoader.commonDefaults().tree();

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !isConfigKey(option.descriptionKey())) {
            return null;
        }
        String[] key = option.descriptionKey().split("\\.");
        JsonNode node = defaults.path(key[0]).path(key[1]);
        if (node.isMissingNode()) {
            throw new IllegalStateException("option " + option.longestName() + " names config key "
                    + option.descriptionKey() + ", which common.yaml does not have");
        }
        if (node.isNull()) {
            return null;
        }
        return node.isArray() ? String.join(",", StreamSupport.stream(node.spliterator(), false)
                .map(JsonNode::asText).toList()) : node.asText();
    }

    /** The common config of a command: defaults, then its config-key options, then {@code -Dlocas.set.*}. */
    public static CommonConfig common(CommandSpec spec) {
        List<Setting> settings = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            Object value = o.getValue();
            if (isConfigKey(o.descriptionKey()) && value != null) {
                String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf)
                        .toList()) : String.valueOf(value);
                settings.add(new Setting(o.descriptionKey(), text, o.longestName()));
            }
        }
        return ConfigLoader.load(null, List.of(), null, settings, System.getProperties()).common();
    }

    private static boolean isConfigKey(String key) {
        return key != null && key.matches("[a-z]+\\.[A-Za-z]+");
    }
}

package org.locasbench.harness.config;

import java.util.List;
import org.locasbench.harness.ttt.grpo.RewardKind;

/**
 * Section {@code grpo}: test-time GRPO (DeepSeekMath, arXiv 2402.03300) when {@code training.loss} is GRPO. Each
 * training step of a window samples, for each of {@code prompts} prefixes of the window (with their context), a group
 * of {@code group} continuations of {@code length} tokens from the current policy, rewards each by how well it
 * reproduces the text's true continuation, and takes {@code innerSteps} optimiser steps on the clipped surrogate with
 * a k3 KL penalty against the frozen model. Defaults and their sources: experiments/common.yaml.
 *
 * @param clip epsilon of the ratio clip, clip(rho, 1 - clip, 1 + clip)
 * @param beta weight of the KL penalty
 * @param advantageEpsilon eps in (r - mean) / (std + eps)
 * @param topK keep the k most likely tokens when sampling (0 = all)
 * @param topP keep the smallest set of tokens whose probability reaches p (1 = all)
 * @param stopTokens token ids that end a sample (the stop token is kept, nothing after it); empty = none
 * @param microBatch samples per forward/backward of the policy loss (null = the whole group at once); the gradient
 *     is the same, the peak memory of a step about microBatch / group of the whole group's
 */
public record GrpoSettings(int group, int prompts, int length, double clip, double beta, int innerSteps,
        RewardKind reward, double advantageEpsilon, double temperature, int topK, double topP,
        List<Long> stopTokens, Integer microBatch) {
    public GrpoSettings {
        ConfigException.require(group >= 2, "grpo.group", "must be >= 2 (advantages are normalised within a group), "
                + "got " + group);
        ConfigException.require(prompts >= 1, "grpo.prompts", "must be >= 1, got " + prompts);
        ConfigException.require(length >= 1, "grpo.length", "must be >= 1 token, got " + length);
        ConfigException.require(clip > 0 && clip < 1, "grpo.clip", "must be in (0, 1), got " + clip);
        ConfigException.require(beta >= 0 && Double.isFinite(beta), "grpo.beta", "must be >= 0, got " + beta);
        ConfigException.require(innerSteps >= 1, "grpo.innerSteps", "must be >= 1, got " + innerSteps);
        ConfigException.require(reward != null, "grpo.reward", "must be token_f1, exact_prefix or rouge_l");
        ConfigException.require(advantageEpsilon > 0 && Double.isFinite(advantageEpsilon), "grpo.advantageEpsilon",
                "must be positive, got " + advantageEpsilon);
        ConfigException.require(temperature > 0 && Double.isFinite(temperature), "grpo.temperature",
                "must be positive (GRPO needs different samples in a group), got " + temperature);
        ConfigException.require(topK >= 0, "grpo.topK", "must be >= 0 (0 = no top-k), got " + topK);
        ConfigException.require(topP > 0 && topP <= 1, "grpo.topP", "must be in (0, 1], got " + topP);
        stopTokens = stopTokens == null ? List.of() : stopTokens; // an empty value means no stop token
        ConfigException.require(stopTokens.stream().allMatch(t -> t != null && t >= 0), "grpo.stopTokens",
                "must list token ids >= 0 ([] = none), got " + stopTokens);
        stopTokens = List.copyOf(stopTokens);
        ConfigException.require(microBatch == null || microBatch >= 1, "grpo.microBatch", "must be >= 1 sample or "
                + "null (the whole group), got " + microBatch);
    }
}

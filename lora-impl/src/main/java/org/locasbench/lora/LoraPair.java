package org.locasbench.lora;

import ai.djl.ndarray.NDArray;

/**
 * The two factors of one adapted projection, named as in PEFT: {@code lora_A} [r, in] and {@code lora_B} [out, r], so
 * the projection's update is {@code (alpha / r) lora_B lora_A x}.
 */
public record LoraPair(NDArray loraA, NDArray loraB) {}

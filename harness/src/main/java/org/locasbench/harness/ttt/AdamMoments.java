package org.locasbench.harness.ttt;

import ai.djl.ndarray.NDArray;

/**
 * AdamW's running moments of one parameter, PyTorch's {@code exp_avg} (first: the mean of the gradients) and
 * {@code exp_avg_sq} (second: the mean of their squares), both of the parameter's shape and dtype.
 */
public record AdamMoments(NDArray first, NDArray second) {}

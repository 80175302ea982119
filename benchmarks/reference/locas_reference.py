#!/usr/bin/env python3
"""PyTorch / Hugging Face reference of the Locas PG-19 streaming protocol, timed window by window.

The same work as `locas-bench speed` (harness SpeedCommand): a Qwen3-shaped model with random weights
(transformers' own init, N(0, 0.02), norms 1) in bf16 with SDPA attention; a Locas-GLU memory on every
MLP (fp32 master G, K, V of width r, rows clipped to the unit ball in the forward, fixed tau,
`memorize` with the `highest` strategy on the first window); windows of W new tokens after up to C
tokens of context; each window is first scored (no grad) and then trained on with one AdamW step
(NTP loss on the window's tokens). The LM head runs only on the positions that are scored, as in Java.

Prints one JSON object (same keys as the Java command) and writes it to --json when given.
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from transformers import Qwen3Config, Qwen3ForCausalLM

from protocol import add_protocol_arguments


def build_model(config_dir, seed):
    config = Qwen3Config.from_pretrained(config_dir)
    torch.manual_seed(seed)
    with torch.device("cuda"):
        model = Qwen3ForCausalLM._from_config(config, attn_implementation="sdpa", dtype=torch.float32)
    model = model.to(torch.bfloat16).eval()
    model.requires_grad_(False)
    return model


def clip_rows(w):
    """w / max(||w||, 1) per row, as w / sqrt(max(||w||^2, 1)) (finite gradient at a zero row)."""
    return w / torch.sqrt(torch.clamp((w * w).sum(-1, keepdim=True), min=1.0))


class LocasMemory(torch.nn.Module):
    """Per layer: trainable fp32 G, K, V [r, d]; output tau * V~^T (silu(G~ a) * (K~ a)) added to the MLP's."""

    def __init__(self, gates, keys, taus):
        super().__init__()
        self.gate = torch.nn.ParameterList([torch.nn.Parameter(g) for g in gates])
        self.key = torch.nn.ParameterList([torch.nn.Parameter(k) for k in keys])
        self.value = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros_like(g)) for g in gates])
        self.taus = taus

    def sidecar(self, layer, a):
        g = clip_rows(self.gate[layer]).to(a.dtype)
        k = clip_rows(self.key[layer]).to(a.dtype)
        v = clip_rows(self.value[layer]).to(a.dtype)
        hidden = F.silu(a @ g.T) * (a @ k.T)
        return (hidden @ v) * self.taus[layer]

    def attach(self, model):
        handles = []
        for i, layer in enumerate(model.model.layers):
            def hook(module, inputs, output, i=i):
                return output + self.sidecar(i, inputs[0])
            handles.append(layer.mlp.register_forward_hook(hook))
        return handles


@torch.no_grad()
def memorize(model, ids, width):
    """`highest` init: the r neurons with the largest mean |silu(W_gate a) * (W_up a)| over the first window."""
    activity = {}
    handles = []
    for i, layer in enumerate(model.model.layers):
        def hook(module, inputs, output, i=i):
            a = inputs[0]
            m = F.silu(module.gate_proj(a)) * module.up_proj(a)
            activity[i] = m.float().abs().reshape(-1, m.shape[-1]).mean(0)
        handles.append(layer.mlp.register_forward_hook(hook))
    model.model(input_ids=ids, use_cache=False)
    for h in handles:
        h.remove()
    gates, keys, taus = [], [], []
    for i, layer in enumerate(model.model.layers):
        picked = torch.topk(activity[i], width).indices
        g = layer.mlp.gate_proj.weight[picked].float()
        k = layer.mlp.up_proj.weight[picked].float()
        gates.append(g / g.norm(dim=-1, keepdim=True))
        keys.append(k / k.norm(dim=-1, keepdim=True))
        down = layer.mlp.down_proj.weight.float()  # [d, m]
        taus.append(float(down.norm(dim=0).mean() / width))
    return gates, keys, taus


def windows(n_tokens, window, context):
    """Same plan as the Java WindowPlan: (context_start, start, end) with at least one token of context."""
    plan = []
    for start in range(0, n_tokens, window):
        plan.append((max(0, start - max(context, 1)), start, min(n_tokens, start + window)))
    return plan


def scored_nll(model, ids, context_start, start, end):
    """Per-token NLL of positions max(start,1)..end-1 given ids[context_start:end]; LM head on those positions only."""
    x = ids[:, context_start:end]
    hidden = model.model(input_ids=x, use_cache=False).last_hidden_state
    first = max(start, 1) - context_start - 1
    logits = model.lm_head(hidden[:, first:x.shape[1] - 1]).float()
    return F.cross_entropy(logits[0], x[0, first + 1:], reduction="none")


def stats(values):
    return {"mean": statistics.fmean(values), "median": statistics.median(values), "min": min(values),
            "max": max(values)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="folder with a Qwen3 config.json (weights are random)")
    ap.add_argument("--ids", required=True, help="JSON array of token ids")
    ap.add_argument("--method", default="locas", choices=["locas", "none"])
    add_protocol_arguments(ap)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--compile", action="store_true",
                    help='model.model = torch.compile(model.model, mode="reduce-overhead") after window 0, with the memory '
                         "attached (the warm-up windows then include compiling; their total is reported as warmup_ms)")
    ap.add_argument("--profile-windows", type=int, default=2,
                    help="windows re-run under torch.profiler after the timed ones for GPU kernel time (0: none)")
    ap.add_argument("--json")
    args = ap.parse_args()

    with open(args.ids) as f:
        all_ids = json.load(f)
    needed = (args.warmup + args.windows) * args.window
    if len(all_ids) < needed:
        sys.exit(f"error: {args.ids} has {len(all_ids)} ids; {args.warmup + args.windows} windows of "
                 f"{args.window} need {needed}")
    model = build_model(args.model, args.seed)
    config = model.config
    if max(all_ids[:needed]) >= config.vocab_size:
        sys.exit(f"error: token id {max(all_ids[:needed])} >= vocab_size {config.vocab_size}")
    ids = torch.tensor([all_ids[:needed]], dtype=torch.long, device="cuda")
    plan = windows(needed, args.window, args.context)

    memory, optimizer = None, None
    if args.method == "locas":
        first = plan[0]
        gates, keys, taus = memorize(model, ids[:, first[0]:first[2]], args.width)
        memory = LocasMemory(gates, keys, taus).cuda()
        memory.attach(model)
        optimizer = torch.optim.AdamW(memory.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8,
                                      weight_decay=0.0)


    def score(context_start, start, end):
        """The window's NLL sum under the current memory (no grad)."""
        with torch.no_grad():
            return scored_nll(model, ids, context_start, start, end).sum().item()

    def train(context_start, start, end, where):
        """One AdamW step on the window's NTP loss."""
        if memory is None:
            return
        loss = scored_nll(model, ids, context_start, start, end).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        loss_value = loss.item()
        if not math.isfinite(loss_value):
            sys.exit(f"error: training loss {loss_value} {where}")

    torch.cuda.reset_peak_memory_stats()
    score_ms, train_ms, warmup_ms, nll_sum, scored = [], [], [], 0.0, 0
    for index, (context_start, start, end) in enumerate(plan):
        if args.compile and index == min(1, len(plan) - 1):
            # window 0 (no context: a shape no later window has) runs uncompiled, so compiling happens once per mode
            # (scoring without grad, training) for the shape every later window has
            model.model = torch.compile(model.model, mode="reduce-overhead")
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        nll = score(context_start, start, end)
        t1 = time.perf_counter()
        train(context_start, start, end, f"at window {index}")
        torch.cuda.synchronize()
        t2 = time.perf_counter()
        print(f"window {index}: score {(t1 - t0) * 1e3:.1f} ms, train {(t2 - t1) * 1e3:.1f} ms", file=sys.stderr)
        nll_sum += nll
        scored += end - max(start, 1)
        if index >= args.warmup:
            score_ms.append((t1 - t0) * 1e3)
            train_ms.append((t2 - t1) * 1e3)
        else:
            warmup_ms.append((t2 - t0) * 1e3)
    total = [s + t for s, t in zip(score_ms, train_ms)]
    kernel_ms = None
    if args.profile_windows > 0:
        # GPU kernel time per window: the last windows again (same shape), every CUDA kernel's own time summed
        from torch.profiler import ProfilerActivity, profile
        again = plan[-args.profile_windows:]
        with profile(activities=[ProfilerActivity.CUDA]) as prof:
            for context_start, start, end in again:
                score(context_start, start, end)
                train(context_start, start, end, "in a profiled window")
            torch.cuda.synchronize()
        kernel_us = sum(e.self_device_time_total for e in prof.key_averages())
        kernel_ms = kernel_us / 1e3 / len(again)
    free, capacity = torch.cuda.mem_get_info()
    result = {
        "implementation": "pytorch-hf-compiled" if args.compile else "pytorch-hf",
        "compile": 'torch.compile(model.model, mode="reduce-overhead")' if args.compile else None,
        "warmup_ms": sum(warmup_ms), "kernel_ms_per_window": kernel_ms, "method": args.method, "model": args.model, "random_weights": True,
        "parameters": sum(p.numel() for p in model.parameters()), "precision": "bf16", "attention": "sdpa",
        "device": torch.cuda.get_device_name(), "window": args.window, "context": args.context,
        "width": args.width if memory is not None else 0, "lr": args.lr, "steps_per_window": 1,
        "warmup_windows": args.warmup, "timed_windows": args.windows, "mean_nll": nll_sum / scored,
        "shape": {"layers": config.num_hidden_layers, "hidden": config.hidden_size,
                  "intermediate": config.intermediate_size, "heads": config.num_attention_heads,
                  "kv_heads": config.num_key_value_heads, "head_dim": config.head_dim, "vocab": config.vocab_size},
        "score_ms": stats(score_ms), "train_ms": stats(train_ms), "window_ms": stats(total),
        "tokens_per_s": args.window / (statistics.fmean(total) / 1e3),
        "device_memory_used_bytes": capacity - free,
        "torch_max_allocated_bytes": torch.cuda.max_memory_allocated(),
        "torch_max_reserved_bytes": torch.cuda.max_memory_reserved(),
        "trainable_parameters": sum(p.numel() for p in memory.parameters()) if memory is not None else 0,
        "versions": {"torch": torch.__version__, "transformers": __import__("transformers").__version__,
                     "python": sys.version.split()[0]},
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()

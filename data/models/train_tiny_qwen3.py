#!/usr/bin/env python3
"""Trains the bundled default model: a small Qwen3-architecture LM on public-domain Gutenberg books.

Runs on the GPU machine (torch + transformers + tokenizers), about 5 minutes on one H100:

    python data/models/train_tiny_qwen3.py --corpus ../shared/data/gutenberg-train \
        --pg19 ../shared/data/pg19 --out /tmp/tiny-qwen3-gutenberg

Steps: (1) byte-level BPE tokenizer (Qwen2/3 pre-tokenizer regex, NFC, vocab 8192, special token
<|endoftext|>) trained on the corpus; (2) Qwen3ForCausalLM (8 layers, d=256, 4 q heads / 2 kv heads of
64, SwiGLU 768, tied embeddings, ~8.4M parameters) trained with AdamW on 1024-token blocks, fixed seed;
(3) evaluation: validation loss on a held-out 1% of the corpus, perplexity on every PG-19 book given
(CRLF -> LF, sliding windows of 1024 with stride 512, each token scored once) against a unigram model
of the same tokenizer (add-one smoothed counts over the training tokens); (4) bf16 model.safetensors,
config.json, tokenizer files, training_log.json, loss_curve.svg and a model card README.md.
The PG-19 books are only evaluated, never trained on.
"""
import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import Qwen3Config, Qwen3ForCausalLM

QWEN_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
              r"|\s*[\r\n]+|\s+(?!\S)|\s+")
EOS = "<|endoftext|>"

HP = dict(seed=20261123, vocab_size=8192, hidden_size=256, intermediate_size=768, num_hidden_layers=8,
          num_attention_heads=4, num_key_value_heads=2, head_dim=64, rope_theta=1000000.0,
          max_position_embeddings=4096, rms_norm_eps=1e-6, seq_len=1024, batch_size=32, steps=3000,
          lr=2e-3, min_lr_ratio=0.1, warmup=200, weight_decay=0.1, betas=(0.9, 0.95), grad_clip=1.0,
          val_fraction=0.01, eval_stride=512)


def read_texts(folder):
    names = sorted(n for n in os.listdir(folder) if n.endswith(".txt"))
    return names, [open(os.path.join(folder, n), encoding="utf-8").read().replace("\r\n", "\n") for n in names]


def train_tokenizer(texts):
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN_SPLIT), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
    tok.post_processor = processors.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
    trainer = trainers.BpeTrainer(vocab_size=HP["vocab_size"], min_frequency=2, special_tokens=[EOS],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts, trainer)
    return tok


def make_config():
    kw = dict(vocab_size=HP["vocab_size"], hidden_size=HP["hidden_size"], intermediate_size=HP["intermediate_size"],
              num_hidden_layers=HP["num_hidden_layers"], num_attention_heads=HP["num_attention_heads"],
              num_key_value_heads=HP["num_key_value_heads"], head_dim=HP["head_dim"],
              max_position_embeddings=HP["max_position_embeddings"], rms_norm_eps=HP["rms_norm_eps"],
              tie_word_embeddings=True, bos_token_id=None, eos_token_id=0, pad_token_id=0)
    try:
        return Qwen3Config(rope_parameters={"rope_type": "default", "rope_theta": HP["rope_theta"]}, **kw)
    except TypeError:
        return Qwen3Config(rope_theta=HP["rope_theta"], **kw)


@torch.no_grad()
def sliding_nll(model, ids, device, window, stride):
    """Sum of NLL and token count, each token after the first scored once with >= window-stride context."""
    total, count, prev_end = 0.0, 0, 0
    for begin in range(0, len(ids) - 1, stride):
        end = min(begin + window, len(ids))
        x = torch.tensor(ids[begin:end], device=device)[None]
        logits = model(input_ids=x).logits.float()
        nll = F.cross_entropy(logits[0, :-1], x[0, 1:], reduction="none")
        new = end - max(prev_end, begin + 1)  # targets not yet scored
        total += nll[-new:].double().sum().item()
        count += new
        prev_end = end
        if end == len(ids):
            break
    return total, count


def svg_curve(points, val_points, path):
    w, h, pad = 640, 360, 48
    xs = [p[0] for p in points]
    ys = [p[1] for p in points] + [p[1] for p in val_points]
    x0, x1, y0, y1 = 0, max(xs), min(ys), max(ys)

    def sx(x): return pad + (x - x0) / (x1 - x0) * (w - 2 * pad)

    def sy(y): return h - pad - (y - y0) / (y1 - y0) * (h - 2 * pad)
    line = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)
    dots = "".join(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="4" fill="#d62728"/>' for x, y in val_points)
    ticks = "".join(f'<text x="{pad - 6}" y="{sy(v):.1f}" font-size="11" text-anchor="end">{v:.2f}</text>'
                    for v in np.linspace(y0, y1, 5))
    xt = "".join(f'<text x="{sx(v):.1f}" y="{h - pad + 16}" font-size="11" text-anchor="middle">{int(v)}</text>'
                 for v in np.linspace(x0, x1, 6))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}">'
           f'<rect width="100%" height="100%" fill="white"/>'
           f'<text x="{w / 2}" y="20" font-size="14" text-anchor="middle">tiny-qwen3-gutenberg: training loss '
           f'(blue) and validation loss (red) per step</text>'
           f'<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="{line}"/>{dots}{ticks}{xt}'
           f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="black"/>'
           f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="black"/></svg>')
    open(path, "w").write(svg)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--pg19", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--heldout-fixture", default=None, help="also write HF NLL of a held-out PG-19 passage here")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    random.seed(HP["seed"]); np.random.seed(HP["seed"]); torch.manual_seed(HP["seed"])
    device = "cuda" if torch.cuda.is_available() else "cpu"
    t0 = time.time()

    names, texts = read_texts(args.corpus)
    tok = train_tokenizer(texts)
    tok.save(os.path.join(args.out, "tokenizer.json"))
    eos_id = tok.token_to_id(EOS)
    assert eos_id == 0, eos_id
    encoded = tok.encode_batch(texts, add_special_tokens=False)
    stream = []
    for e in encoded:
        stream.extend(e.ids)
        stream.append(eos_id)
    stream = np.array(stream, dtype=np.int64)
    n_val = int(len(stream) * HP["val_fraction"])
    train_ids, val_ids = stream[:-n_val], stream[-n_val:]
    t_tok = time.time() - t0
    print(f"tokenizer trained, corpus {len(stream)} tokens ({t_tok:.0f}s)", flush=True)

    cfg = make_config()
    model = Qwen3ForCausalLM(cfg).to(device)
    n_params = sum(p.numel() for p in model.parameters())
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": HP["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}], lr=HP["lr"], betas=HP["betas"], fused=device == "cuda")
    data = torch.from_numpy(train_ids).to(device)
    gen = torch.Generator(device="cpu").manual_seed(HP["seed"])
    L, B = HP["seq_len"], HP["batch_size"]

    def lr_at(step):
        if step < HP["warmup"]:
            return HP["lr"] * (step + 1) / HP["warmup"]
        prog = (step - HP["warmup"]) / max(1, HP["steps"] - HP["warmup"])
        return HP["lr"] * (HP["min_lr_ratio"] + (1 - HP["min_lr_ratio"]) * 0.5 * (1 + math.cos(math.pi * prog)))

    @torch.no_grad()
    def val_loss():
        model.eval()
        v = torch.from_numpy(val_ids).to(device)
        nb = (len(v) - 1) // L
        x = v[:nb * L].view(nb, L)
        y = v[1:nb * L + 1].view(nb, L)
        tot = 0.0
        for i in range(0, nb, 16):
            with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=device == "cuda"):
                lg = model(input_ids=x[i:i + 16]).logits
            tot += F.cross_entropy(lg.float().reshape(-1, lg.shape[-1]), y[i:i + 16].reshape(-1), reduction="sum").item()
        model.train()
        return tot / (nb * L)

    curve, val_curve = [], []
    model.train()
    t1 = time.time()
    for step in range(HP["steps"]):
        starts = torch.randint(0, len(data) - L - 1, (B,), generator=gen)
        idx = starts[:, None].to(device) + torch.arange(L + 1, device=device)[None]
        chunk = data[idx]
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=device == "cuda"):
            logits = model(input_ids=chunk[:, :-1]).logits
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), chunk[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), HP["grad_clip"])
        opt.step()
        if step % 25 == 0 or step == HP["steps"] - 1:
            curve.append((step, loss.item()))
        if step % 500 == 0 or step == HP["steps"] - 1:
            val_curve.append((step, val_loss()))
            print(f"step {step} loss {loss.item():.3f} val {val_curve[-1][1]:.3f} ({time.time() - t1:.0f}s)", flush=True)
    train_seconds = time.time() - t1

    # bf16 checkpoint, as real Qwen3 checkpoints ship; evaluate what is shipped (bf16 weights, fp32 compute)
    model = model.to(torch.bfloat16)
    model.save_pretrained(args.out, safe_serialization=True)
    model = Qwen3ForCausalLM.from_pretrained(args.out, dtype=torch.float32).to(device).eval()
    json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "eos_token": EOS, "pad_token": EOS,
               "bos_token": None, "add_bos_token": False, "model_max_length": HP["max_position_embeddings"],
               "clean_up_tokenization_spaces": False},
              open(os.path.join(args.out, "tokenizer_config.json"), "w"), indent=1)

    counts = np.bincount(train_ids, minlength=HP["vocab_size"]).astype(np.float64) + 1.0
    logp_unigram = np.log(counts / counts.sum())
    books = []
    pg_names, pg_texts = read_texts(args.pg19)
    for name, text in zip(pg_names, pg_texts):
        ids = tok.encode(text, add_special_tokens=False).ids
        tot, cnt = sliding_nll(model, ids, device, HP["seq_len"], HP["eval_stride"])
        uni = -logp_unigram[np.array(ids[1:])].mean()
        books.append({"book": name[:-4], "tokens": len(ids), "ppl": math.exp(tot / cnt), "unigram_ppl": math.exp(uni)})
        print(books[-1], flush=True)

    if args.heldout_fixture:
        text = pg_texts[pg_names.index("10146.txt")][20000:21500]
        ids = tok.encode(text, add_special_tokens=False).ids[:256]
        text = tok.decode(ids)
        ids = tok.encode(text, add_special_tokens=False).ids
        with torch.no_grad():
            lg = model(input_ids=torch.tensor(ids, device=device)[None]).logits.double()
        nll = F.cross_entropy(lg[0, :-1], torch.tensor(ids[1:], device=device), reduction="none")
        json.dump({"source": "PG-19 test book 10146, characters 20000-21500 (CRLF->LF), first 256 tokens",
                   "model": "data/models/tiny-qwen3-gutenberg", "text": text, "ids": ids,
                   "nll": nll.float().cpu().tolist(), "mean_nll": nll.mean().item()},
                  open(args.heldout_fixture, "w"), indent=None)

    import tokenizers as tk, transformers as tf
    log = {"hyper_parameters": HP, "parameters": n_params, "corpus_files": len(names),
           "corpus_tokens": int(len(stream)), "train_tokens": int(len(train_ids)), "val_tokens": int(n_val),
           "tokens_seen": HP["steps"] * B * L, "train_seconds": train_seconds, "tokenizer_seconds": t_tok,
           "device": torch.cuda.get_device_name() if device == "cuda" else "cpu",
           "versions": {"torch": torch.__version__, "transformers": tf.__version__, "tokenizers": tk.__version__},
           "loss_curve": curve, "val_curve": val_curve, "pg19": books}
    json.dump(log, open(os.path.join(args.out, "training_log.json"), "w"), indent=1)
    svg_curve(curve, val_curve, os.path.join(args.out, "loss_curve.svg"))
    print(json.dumps({k: v for k, v in log.items() if k not in ("loss_curve",)}, indent=1))


if __name__ == "__main__":
    main()

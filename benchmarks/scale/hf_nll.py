#!/usr/bin/env python3
"""Independent check of checkpoints this project writes: Hugging Face transformers loads them and scores token ids.

    python3 benchmarks/scale/hf_nll.py --model Qwen/Qwen3-1.7B-Base --ids ids.json --out hf.json   # hub id (HF_HUB_CACHE)
    python3 benchmarks/scale/hf_nll.py --model /path/to/fused --ids ids.json --out hf.json          # a folder
    python3 benchmarks/scale/hf_nll.py --tokenize tokenizer.json --text book.txt --max-tokens 1024 --out ids.json

Loads in fp32 (TF32 off, eager attention) and writes the per-token NLL of ids[1:] given the prefix (one forward), the
mean, what transformers resolved (snapshot folder, files, their sizes), and the loading report (missing, unexpected,
mismatched keys): a checkpoint counts as loaded only when all three are empty. `compare` prints the largest per-token
difference to a Java `nll --out` JSON.
"""
import argparse
import json
import os
import sys


def tokenize(a):
    from tokenizers import Tokenizer
    text = open(a.text, encoding="utf-8").read().replace("\r\n", "\n")
    ids = Tokenizer.from_file(a.tokenize).encode(text, add_special_tokens=False).ids[: a.max_tokens]
    json.dump(ids, open(a.out, "w"))
    print(f"{len(ids)} ids -> {a.out}")


def score(a):
    import torch
    import torch.nn.functional as F
    from transformers import AutoModelForCausalLM
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    path = a.model
    if not os.path.isdir(path):
        from huggingface_hub import snapshot_download
        path = snapshot_download(a.model, local_files_only=True)
    files = {f: os.path.getsize(os.path.join(path, f)) for f in sorted(os.listdir(path))}
    links = {f: os.path.islink(os.path.join(path, f)) for f in files}
    model, info = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32, attn_implementation="eager",
                                                       output_loading_info=True)
    report = {k: sorted(map(str, v)) for k, v in info.items() if k in ("missing_keys", "unexpected_keys",
                                                                         "mismatched_keys")}
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = model.to(device).eval()
    ids = torch.tensor(json.load(open(a.ids)), dtype=torch.long, device=device)[None]
    with torch.no_grad():
        logits = model(input_ids=ids).logits.double()
    nll = -F.log_softmax(logits[0, :-1], dim=-1).gather(-1, ids[0, 1:, None]).squeeze(-1)
    out = {"model": a.model, "resolved": path, "files": files, "symlinks": links, "loading": report,
           "loaded": not any(report.values()), "config": {"intermediate_size": model.config.intermediate_size,
                                                          "num_hidden_layers": model.config.num_hidden_layers,
                                                          "tie_word_embeddings": model.config.tie_word_embeddings},
           "parameters": sum(p.numel() for p in model.parameters()), "tokens": int(ids.shape[1]),
           "mean_nll": float(nll.mean()), "nll": [float(x) for x in nll.float().cpu()]}
    json.dump(out, open(a.out, "w"), indent=1)
    print(f"{a.model}: loaded={out['loaded']} {report} mean_nll={out['mean_nll']:.6f} -> {a.out}")
    if not out["loaded"]:
        sys.exit(1)


def compare(a):
    hf, java = json.load(open(a.hf)), json.load(open(a.java))
    h, j = hf["nll"], java["nll"]
    if len(h) != len(j):
        sys.exit(f"error: {len(h)} NLL values from transformers, {len(j)} from Java")
    worst = max(abs(x - y) for x, y in zip(h, j))
    res = {"hf": a.hf, "java": a.java, "tokens": len(h), "hf_mean": hf["mean_nll"], "java_mean": java["mean_nll"],
           "max_abs_diff": worst, "mean_diff": abs(hf["mean_nll"] - java["mean_nll"]), "tolerance": a.tol,
           "ok": worst <= a.tol}
    print(json.dumps(res))
    if a.record:
        with open(a.record, "a") as f:
            f.write(json.dumps(res) + "\n")
    if not res["ok"]:
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["tokenize", "score", "compare"])
    ap.add_argument("--model")
    ap.add_argument("--ids")
    ap.add_argument("--out")
    ap.add_argument("--tokenize")
    ap.add_argument("--text")
    ap.add_argument("--max-tokens", type=int, default=1024)
    ap.add_argument("--hf")
    ap.add_argument("--java")
    ap.add_argument("--tol", type=float, default=2e-3)
    ap.add_argument("--record")
    a = ap.parse_args()
    {"tokenize": tokenize, "score": score, "compare": compare}[a.cmd](a)


if __name__ == "__main__":
    main()

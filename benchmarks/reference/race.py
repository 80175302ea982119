#!/usr/bin/env python3
"""The speed race, one command: Java (`locas-bench speed`, DJL) against the PyTorch reference (HF bf16/SDPA).

Both run the same PG-19 streaming protocol (window, context, Locas width, AdamW lr, one step per window) on
Qwen3-shaped models with random weights, one after the other on the same GPU, each in its own process. Token ids
come from a bundled PG-19 book through the bundled tokenizer, written once and read by both sides.

  python3 benchmarks/reference/race.py --java BUNDLE/bin/locas-bench --out benchmarks/results/DATE-GPU

prints a table (ms per window for score and train, tokens/s, peak GPU memory, ratio) and writes race.md and
race.json (with date, hardware and versions) plus every run's own JSON and log under --out.
Ratio = Java tokens/s / reference tokens/s (above 1.0: Java is faster).
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import subprocess
import sys
import threading

from protocol import add_protocol_arguments, protocol_flags

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent


class PeakGpuMemory:
    """Samples nvidia-smi's memory.used of GPU 0 every 100 ms while a run lasts; reports the maximum in MiB."""

    def __init__(self):
        self.peak = None

    def __enter__(self):
        self.process = subprocess.Popen(
            ["nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits", "-i", "0", "-lms", "100"],
            stdout=subprocess.PIPE, text=True)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        return self

    def _read(self):
        for line in self.process.stdout:
            try:
                value = int(line.strip())
            except ValueError:
                continue
            self.peak = value if self.peak is None else max(self.peak, value)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait()
        self.thread.join(timeout=5)


def make_ids(book, tokenizer, count, path):
    from tokenizers import Tokenizer
    text = book.read_text(encoding="utf-8").replace("\r\n", "\n")
    ids = Tokenizer.from_file(str(tokenizer)).encode(text, add_special_tokens=False).ids
    if len(ids) < count:
        sys.exit(f"error: {book} gives {len(ids)} tokens, the race needs {count}")
    path.write_text(json.dumps(ids[:count]))


def run(name, command, out, timeout):
    """Runs one side; its stderr goes to NAME.log, its JSON to NAME.json; returns the JSON plus the peak MiB."""
    log = out / f"{name}.log"
    print(f"[race] {name}: {' '.join(map(str, command))}", file=sys.stderr, flush=True)
    with PeakGpuMemory() as peak, open(log, "w") as err:
        try:
            done = subprocess.run(list(map(str, command)), stdout=subprocess.DEVNULL, stderr=err, timeout=timeout)
        except subprocess.TimeoutExpired:
            sys.exit(f"error: {name} ran past {timeout} s; see {log}:\n" + log.read_text()[-3000:])
    if done.returncode != 0:
        sys.exit(f"error: {name} exited with {done.returncode}; see {log}:\n" + log.read_text()[-3000:])
    result = json.loads((out / f"{name}.json").read_text())
    result["peak_gpu_memory_mib"] = peak.peak
    (out / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def hardware():
    gpu = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"],
                         capture_output=True, text=True).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    return {"gpu": gpu, "cpu": cpu, "cpu_cores": os.cpu_count(), "os": platform.platform()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--java", required=True, help="the bundle's bin/locas-bench launcher")
    ap.add_argument("--out", required=True, help="folder for race.md, race.json and each run's JSON and log")
    ap.add_argument("--shapes", default="qwen3-0.6b,qwen3-1.7b-base", help="folders under benchmarks/reference/models")
    ap.add_argument("--java-precisions", default="fp16,fp32", help="Java compute dtypes to run (fp16 is the race)")
    add_protocol_arguments(ap)
    ap.add_argument("--run-timeout", type=int, default=300, help="seconds one side may take (default 300)")
    ap.add_argument("--book", default=str(ROOT / "data/pg19/10146.txt"))
    ap.add_argument("--tokenizer", default=str(ROOT / "data/models/tiny-qwen3-gutenberg/tokenizer.json"))
    args = ap.parse_args()

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ids = out / "ids.json"
    make_ids(pathlib.Path(args.book), pathlib.Path(args.tokenizer), (args.warmup + args.windows) * args.window, ids)
    protocol = protocol_flags(args) + ["--ids", ids]
    rows = []
    for shape in args.shapes.split(","):
        model = HERE / "models" / shape
        reference = run(f"{shape}-reference", [sys.executable, HERE / "locas_reference.py", "--model", model,
                                                *protocol, "--json", out / f"{shape}-reference.json"], out, args.run_timeout)
        rows.append((shape, reference, None))
        for precision in args.java_precisions.split(","):
            java = run(f"{shape}-java-{precision}", [args.java, "speed", "--model", model, "--random-weights",
                                                     "--precision", precision, "--device", "gpu", *protocol,
                                                     "--json", out / f"{shape}-java-{precision}.json"], out, args.run_timeout)
            rows.append((shape, java, reference["tokens_per_s"]))

    header = ("| shape | implementation | precision | score ms | train ms | window ms | tokens/s | peak GPU MiB "
              "| ratio |\n|---|---|---|---:|---:|---:|---:|---:|---:|")
    lines = [header]
    for shape, r, reference_tps in rows:
        ratio = "" if reference_tps is None else f"{r['tokens_per_s'] / reference_tps:.2f}"
        lines.append(f"| {shape} | {r['implementation']} | {r['precision']} | {r['score_ms']['median']:.1f} "
                     f"| {r['train_ms']['median']:.1f} | {r['window_ms']['median']:.1f} | {r['tokens_per_s']:.0f} "
                     f"| {r['peak_gpu_memory_mib']} | {ratio} |")
    table = "\n".join(lines)
    meta = {"date": datetime.date.today().isoformat(), "hardware": hardware(),
            "protocol": {"window": args.window, "context": args.context, "locas_width": args.width, "lr": args.lr,
                         "optimizer": "AdamW (0.9, 0.999, eps 1e-8, no decay), 1 step per window", "loss": "NTP",
                         "warmup_windows": args.warmup, "timed_windows": args.windows,
                         "tokens": f"{pathlib.Path(args.book).name} via {pathlib.Path(args.tokenizer).parent.name}"},
            "reference_versions": rows[0][1].get("versions")}
    md = (f"# Speed race: Java (DJL) vs PyTorch reference\n\n{meta['date']}, {meta['hardware']['gpu']}; "
          f"CPU {meta['hardware']['cpu']} ({meta['hardware']['cpu_cores']} cores).\n\n"
          f"Protocol: window {args.window}, context {args.context}, Locas width {args.width} (highest init), "
          f"AdamW lr {args.lr}, one NTP step per window; medians over {args.windows} windows after {args.warmup} "
          f"warm-up windows. Random weights (N(0, 0.02)). Reference: HF transformers bf16, SDPA. tokens/s = window / "
          f"mean window ms; ratio = Java tokens/s / reference tokens/s. Peak GPU memory: nvidia-smi memory.used, "
          f"sampled every 100 ms (CUDA context and allocator cache included).\n\n{table}\n")
    (out / "race.md").write_text(md)
    (out / "race.json").write_text(json.dumps({**meta, "runs": [r for _, r, _ in rows]}, indent=2) + "\n")
    print(md)


if __name__ == "__main__":
    main()

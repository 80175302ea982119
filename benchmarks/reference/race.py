#!/usr/bin/env python3
"""The speed race, one command: Java (`locas-bench speed`, DJL, lever by lever) against the PyTorch reference eager and under torch.compile.

Both run the same PG-19 streaming protocol (window, context, Locas width, AdamW lr, one step per window) on
Qwen3-shaped models with random weights, one after the other on the same GPU, each in its own process. Token ids
come from a bundled PG-19 book through the bundled tokenizer, written once and read by both sides.

  python3 benchmarks/reference/race.py --java BUNDLE/bin/locas-bench --out benchmarks/results/DATE-GPU

  python3 benchmarks/reference/race.py --java BUNDLE/bin/locas-bench --native-library native/target/liblocasbench_native.so --out DIR

prints a table (ms per window for score and train, GPU time, tokens/s, peak GPU memory, compile / warm-up time) and
writes race.md and race.json (with date, hardware and versions) plus every run's own JSON and log under --out. The
three sides: the eager reference, the same under torch.compile(mode="reduce-overhead"), and Java once per lever set
(--java-levers) at the first width, then with all levers at the other widths and for LoRA.
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


def run(name, command, out, timeout, env=None, extra=None):
    """Runs one side; its stderr goes to NAME.log, its JSON to NAME.json; returns the JSON plus the peak MiB and the
    entries of `extra` (written into NAME.json too)."""
    log = out / f"{name}.log"
    print(f"[race] {name}: {' '.join(map(str, command))}", file=sys.stderr, flush=True)
    with PeakGpuMemory() as peak, open(log, "w") as err:
        try:
            done = subprocess.run(list(map(str, command)), stdout=subprocess.DEVNULL, stderr=err, timeout=timeout,
                                  env=env)
        except subprocess.TimeoutExpired:
            sys.exit(f"error: {name} ran past {timeout} s; see {log}:\n" + log.read_text()[-3000:])
    if done.returncode != 0:
        sys.exit(f"error: {name} exited with {done.returncode}; see {log}:\n" + log.read_text()[-3000:])
    result = json.loads((out / f"{name}.json").read_text())
    result["peak_gpu_memory_mib"] = peak.peak
    result.update(extra or {})
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
    ap.add_argument("--shapes", default="qwen3-1.7b-base", help="folders under benchmarks/reference/models")
    ap.add_argument("--native-library", help="liblocasbench_native.so (native/build.sh) for the Java fast path")
    ap.add_argument("--java-levers", default="none;sdpa;sdpa,rms_norm;sdpa,rms_norm,swiglu;sdpa,rms_norm,swiglu,linear_nll;sdpa,rms_norm,swiglu,linear_nll,fused_adamw;all",
                    help="';'-separated -Dlocas.fastpath values, one Java run each (needs --native-library)")
    ap.add_argument("--widths", default="128,64", help="Locas widths; the levers run at the first, the others with all")
    ap.add_argument("--lora-rank", type=int, default=64, help="LoRA rank of a Java run with all levers (0: none)")
    ap.add_argument("--compiled-warmup", type=int, default=6,
                    help="warm-up windows of the torch.compile side (compiling happens in them)")
    ap.add_argument("--sides", default="eager,compiled,java", help="which of the three sides to run")
    add_protocol_arguments(ap)
    ap.add_argument("--run-timeout", type=int, default=400, help="seconds one side may take (default 400)")
    ap.add_argument("--tabulate", action="store_true",
                    help="only (re)write race.md / race.json from the run JSONs already in --out (e.g. of a run that "
                         "was stopped before its end)")
    ap.add_argument("--book", default=str(ROOT / "data/pg19/10146.txt"))
    ap.add_argument("--tokenizer", default=str(ROOT / "data/models/tiny-qwen3-gutenberg/tokenizer.json"))
    args = ap.parse_args()

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.tabulate:
        rows = [(r, None) for r in (json.loads(f.read_text()) for f in sorted(out.glob("*.json"))
                                    if f.name not in ("race.json", "ids.json"))]
        for r, _ in rows:
            r["levers"] = levers_of(r)
        write_report(out, args, [label(r) + (r,) for r, _ in rows], hardware_of=None)
        return
    ids = out / "ids.json"
    most_warmup = max(args.warmup, args.compiled_warmup)
    make_ids(pathlib.Path(args.book), pathlib.Path(args.tokenizer), (most_warmup + args.windows) * args.window, ids)
    sides = set(args.sides.split(","))
    widths = [int(w) for w in args.widths.split(",")]
    rows = []

    def flags(width, warmup=None):
        f = protocol_flags(args)
        f[f.index("--width") + 1] = width
        if warmup is not None:
            f[f.index("--warmup") + 1] = warmup
        return f + ["--ids", ids]

    def java(name, method_flags, levers, width, extra_opts=""):
        opts = os.environ.get("LOCAS_JAVA_OPTS", "") + " " + extra_opts
        if args.native_library:
            opts += f" -Dlocas.native.library={args.native_library} -Dlocas.fastpath={levers}"
        env = {**os.environ, "LOCAS_JAVA_OPTS": opts.strip()}
        return run(name, [args.java, "speed", "--random-weights", "--precision", "fp16", "--device", "gpu",
                          *method_flags, *flags(width)], out, args.run_timeout, env,
                   {"levers": levers if args.native_library else "(no native library)"})

    for shape in args.shapes.split(","):
        model = HERE / "models" / shape
        for width in widths:
            if "eager" in sides:
                rows.append((shape, width, run(f"{shape}-r{width}-reference", [
                    sys.executable, HERE / "locas_reference.py", "--model", model, *flags(width),
                    "--json", out / f"{shape}-r{width}-reference.json"], out, args.run_timeout)))
            if "compiled" in sides:
                rows.append((shape, width, run(f"{shape}-r{width}-compiled", [
                    sys.executable, HERE / "locas_reference.py", "--model", model, "--compile",
                    *flags(width, args.compiled_warmup), "--json", out / f"{shape}-r{width}-compiled.json"],
                    out, args.run_timeout)))
            if "java" in sides:
                levers = args.java_levers.split(";") if width == widths[0] and args.native_library else ["all"]
                for lv in levers:
                    tag = lv.replace(",", "-").replace("_", "")
                    rows.append((shape, width, java(f"{shape}-r{width}-java-{tag}", [
                        "--model", model, "--json", out / f"{shape}-r{width}-java-{tag}.json"], lv, width)))
        if "java" in sides and args.lora_rank > 0:
            r = args.lora_rank
            lora = ["--model", model, "--method", "lora", "--json", out / f"{shape}-lora{r}-java-all.json"]
            rows.append((shape, f"LoRA r={r}", java(f"{shape}-lora{r}-java-all", lora, "all", widths[0],
                                                    f"-Dlocas.set.lora.rank={r} -Dlocas.set.lora.alpha={r} "
                                                    "-Dlocas.set.lora.dropout=0")))

    write_report(out, args, rows)


def levers_of(r):
    """The lever set of a Java run JSON, from its "path" line when the JSON does not carry it."""
    if r.get("implementation") != "java-djl" or "levers" in r:
        return r.get("levers", "")
    path = r.get("path", "")
    return path.split("levers ", 1)[1].rstrip(")") if "levers " in path else "none"


def label(r):
    """(shape, memory) of a run JSON: the model folder's name; Locas width or LoRA rank."""
    shape = pathlib.Path(r["model"]).name
    if r.get("method") == "lora":
        return shape, f"LoRA r={r.get('lora_rank')}"
    return shape, r.get("width") or 0


def write_report(out, args, rows, hardware_of="here"):
    """race.md (the table) and race.json from (shape, width or label, run JSON) rows."""
    order = {"pytorch-hf": 0, "pytorch-hf-compiled": 1, "java-djl": 2}
    rows = sorted(rows, key=lambda x: (x[0], isinstance(x[1], str), -(x[1] if isinstance(x[1], int) else 0),
                                       order.get(x[2]["implementation"], 3), len(str(x[2].get("levers", "")))))
    header = ("| shape | memory | implementation | levers | score ms | train ms | window ms | GPU ms | tokens/s "
              "| peak GPU MiB | warm-up s |\n|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    lines = [header]
    for shape, width, r in rows:
        gpu = r.get("kernel_ms_per_window") or (r.get("gpu_ms") or {}).get("median")
        memory = width if isinstance(width, str) else f"Locas r={width}"
        warm = r.get("warmup_ms")
        lines.append(f"| {shape} | {memory} | {r['implementation']} | {r.get('levers', '')} "
                     f"| {r['score_ms']['median']:.1f} | {r['train_ms']['median']:.1f} | {r['window_ms']['median']:.1f} "
                     f"| {'' if gpu is None else f'{gpu:.1f}'} | {r['tokens_per_s']:.0f} | {r['peak_gpu_memory_mib']} "
                     f"| {'' if warm is None else f'{warm / 1e3:.1f}'} |")
    table = "\n".join(lines)
    first = rows[0][2]
    widths = sorted({w for _, w, _ in rows if isinstance(w, int)}, reverse=True)
    meta = {"date": datetime.date.today().isoformat(), "hardware": hardware() if hardware_of else None,
            "protocol": {"window": first["window"], "context": first["context"], "locas_widths": widths,
                         "lr": first["lr"], "optimizer": "AdamW (0.9, 0.999, eps 1e-8, no decay), 1 step per window",
                         "loss": "NTP", "warmup_windows": first["warmup_windows"], "timed_windows": first["timed_windows"]},
            "reference_versions": next((r.get("versions") for _, _, r in rows if r.get("versions")), None)}
    where = (f"{meta['hardware']['gpu']}; CPU {meta['hardware']['cpu']} ({meta['hardware']['cpu_cores']} cores)"
             if meta["hardware"] else "hardware: see the run logs")
    compiled_warmup = next((r["warmup_windows"] for _, _, r in rows if r["implementation"] == "pytorch-hf-compiled"),
                           None)
    md = (f"# Speed race: Java (DJL, native fast path) vs PyTorch eager and torch.compile\n\n{meta['date']}, "
          f"{where}.\n\n"
          f"Protocol: window {first['window']}, context {first['context']}, AdamW lr {first['lr']}, one NTP step per "
          f"window; medians over {first['timed_windows']} windows after {first['warmup_windows']} warm-up windows"
          f"{f' ({compiled_warmup} for torch.compile, whose compile time is in the warm-up column)' if compiled_warmup else ''}. "
          f"Random weights. Reference: HF transformers bf16, SDPA; compiled: the same with "
          f"`torch.compile(model.model, mode=\"reduce-overhead\")` from window 1 on (window 0 has a shape no later "
          f"window has). Java: fp16, `-Dlocas.fastpath=LEVERS` with the project's native library (none = pure DJL). "
          f"Java's score ms is the time until the window's NLL is on the host: the first training step's forward "
          f"(score and first step share it), and with cuda_graph the whole replayed step (forward, backward, AdamW), "
          f"so its train ms is ~0; the reference scores with a pass of its own. GPU ms: the reference's summed CUDA "
          f"kernel time per window (torch.profiler over 2 windows); Java's CUDA-event time between window ends on its "
          f"stream (kernels plus any gaps the host leaves). Peak GPU memory: nvidia-smi memory.used sampled every "
          f"100 ms (CUDA context and allocator cache included).\n\n{table}\n")
    (out / "race.md").write_text(md)
    (out / "race.json").write_text(json.dumps({**meta, "runs": [r for _, _, r in rows]}, indent=2) + "\n")
    print(md)


if __name__ == "__main__":
    main()

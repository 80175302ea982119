#!/usr/bin/env bash
# Every experiment end to end at Qwen3-1.7B-Base shape on one GPU, with a hub-cache checkpoint in the released layout
# (random bf16 weights, `make-checkpoint`), the real Qwen3 tokenizer and fp16 compute. Writes one folder of results
# per suite, logs, and scale.tsv (suite, exit code, wall s, peak GPU MiB, command) into $SCALE_OUT.
#
#   LB=locas-bench-bundle/bin/locas-bench DATA=/data SCALE_OUT=out bash benchmarks/scale/scale.sh STEP...
#
# STEP: checkpoint | hf-check | pg19 | table1 | paradigms | grpo | ablation | mmlu | mmlu-probe | locomo | mmlu-shard:I/N
# (LOCOMO_METHODS=none,long_context runs a subset of the preset's methods into locomo-none-long_context/)
# DATA holds mmlu/{test,dev}/, locomo/locomo10.json, pg19/manifest.json (+ the books), qwen3/{tokenizer.json,
# tokenizer_config.json,config.json} (../shared/data has all of them; the PG-19 manifest is made by the device-call
# wrapper). The runtime needs PYTORCH_LIBRARY_PATH etc. for a CUDA libtorch (README, GPU runners). Optional:
# SCALE_DEADLINE (epoch seconds: a step that would start later is skipped, a running one is stopped at it).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
: "${LB:?LB=path to bin/locas-bench}" "${DATA:?DATA=data folder}" "${SCALE_OUT:?SCALE_OUT=output folder}"
mkdir -p "$SCALE_OUT"
export HF_HUB_CACHE="${HF_HUB_CACHE:-/tmp/scale-hub}" HF_HUB_OFFLINE=1
REPO=Qwen/Qwen3-1.7B-Base
PG19_BOOK="${PG19_BOOK:-10146}"
LOCOMO_CONV="${LOCOMO_CONV:-conv-30}"
deadline="${SCALE_DEADLINE:-0}"
tsv="$SCALE_OUT/scale.tsv"
[[ -f "$tsv" ]] || printf 'suite\trc\twall_s\tpeak_gpu_mib\tcommand\n' >"$tsv"

left() { if (( deadline > 0 )); then echo $(( deadline - $(date +%s) )); else echo 36000; fi; }

# timed SUITE CMD...: runs CMD (stopped at the deadline), samples GPU memory every 200 ms, appends a scale.tsv row
timed() {
  local suite="$1"; shift
  local budget; budget=$(left)
  if (( budget < 20 )); then
    echo "== $suite: skipped (${budget} s left before the deadline)"
    printf '%s\tskipped\t\t\t%s\n' "$suite" "$*" >>"$tsv"; return 0
  fi
  echo "== $suite: $* (up to ${budget} s)"
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 >"$SCALE_OUT/$suite.gpumem" 2>/dev/null &
  local sampler=$! t0 t1 rc
  t0=$(date +%s.%N)
  timeout "$budget" "$@" > >(tee "$SCALE_OUT/$suite.log") 2>&1
  rc=$?
  t1=$(date +%s.%N)
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
  local peak; peak=$(sort -n "$SCALE_OUT/$suite.gpumem" 2>/dev/null | tail -1)
  local wall; wall=$(python3 -c "print(f'{$t1-$t0:.1f}')")
  printf '%s\t%s\t%s\t%s\t%s\n' "$suite" "$rc" "$wall" "${peak:-}" "$*" >>"$tsv"
  echo "== $suite: rc=$rc wall=${wall}s peak=${peak:-?} MiB"
  return 0
}

step_checkpoint() {
  if [[ -d "$HF_HUB_CACHE/models--Qwen--Qwen3-1.7B-Base" ]]; then echo "== checkpoint: exists"; return; fi
  timed checkpoint "$LB" make-checkpoint --config "$DATA/qwen3/config.json" --tokenizer "$DATA/qwen3/tokenizer.json" \
      --hub-cache "$HF_HUB_CACHE" --repo "$REPO"
  du -ab "$HF_HUB_CACHE" | sort -n | tail -8
  find "$HF_HUB_CACHE/models--Qwen--Qwen3-1.7B-Base/snapshots" -maxdepth 2 -printf '%p -> %l\n'
}

# transformers loads our hub-cache entry by id and our fused to-dense output; both score the same ids as Java (fp32)
step_hf_check() {
  local w="$SCALE_OUT/hf-check"; mkdir -p "$w"
  python3 "$here/hf_nll.py" tokenize --tokenize "$DATA/qwen3/tokenizer.json" --text "$DATA/pg19/$PG19_BOOK.txt" \
      --max-tokens 1024 --out "$w/ids.json"
  local gpu=(--device gpu --precision fp32 --window 1024 --context 0)
  timed hf-java-base "$LB" nll --model "$REPO" --ids "$w/ids.json" "${gpu[@]}" --out "$w/java-base.json"
  timed hf-ttt "$LB" ttt --model "$REPO" --ids "$w/ids.json" --device gpu --precision fp16 --window 256 --context 256 \
      --width 64 --lr 1e-2 --out "$w/memory.safetensors" --json "$w/ttt.json"
  timed hf-java-sidecar "$LB" nll --model "$REPO" --memory "$w/memory.safetensors" --ids "$w/ids.json" "${gpu[@]}" \
      --out "$w/java-sidecar.json"
  rm -rf /tmp/scale-fused
  timed hf-to-dense "$LB" to-dense --model "$REPO" --memory "$w/memory.safetensors" --out /tmp/scale-fused
  ls -la /tmp/scale-fused | tee "$w/fused-files.txt"
  timed hf-java-fused "$LB" nll --model /tmp/scale-fused --ids "$w/ids.json" "${gpu[@]}" --out "$w/java-fused.json"
  timed hf-transformers-base python3 "$here/hf_nll.py" score --model "$REPO" --ids "$w/ids.json" --out "$w/hf-base.json"
  timed hf-transformers-fused python3 "$here/hf_nll.py" score --model /tmp/scale-fused --ids "$w/ids.json" \
      --out "$w/hf-fused.json"
  for pair in "base java-base" "fused java-fused" "fused java-sidecar"; do
    set -- $pair
    python3 "$here/hf_nll.py" compare --hf "$w/hf-$1.json" --java "$w/$2.json" --tol 1e-3 --record "$w/compare.jsonl"
  done
  rm -rf /tmp/scale-fused
}

pg19_set=(--set "pg19.manifest=$DATA/pg19/manifest.json" --set "pg19.books=$PG19_BOOK")

step_pg19() {
  timed pg19 "$LB" run pg19 --config "$root/configs/qwen3-1.7b-base-pg19.yaml" "${pg19_set[@]}" --out "$SCALE_OUT/pg19"
}

step_ablation() {
  timed ablation "$LB" run ablation --config "$root/configs/qwen3-1.7b-base-pg19.yaml" "${pg19_set[@]}" \
      --set pg19.maxTokens= --set ablation.widths=64 --out "$SCALE_OUT/ablation"
}

mmlu_set=(--config "$root/configs/qwen3-0.6b-mmlu.yaml" --set "run.model=$REPO" --set "mmlu.dir=$DATA/mmlu"
          --set "mmlu.forgettingManifest=$DATA/pg19/manifest.json" --set "mmlu.forgettingBook=$PG19_BOOK"
          --set mmlu.batchSize="${MMLU_BATCH:-64}" --set mmlu.batchTokens="${MMLU_BATCH_TOKENS:-32768}")

step_mmlu() { timed mmlu "$LB" run mmlu "${mmlu_set[@]}" --out "$SCALE_OUT/mmlu" "$@"; }

# one variant on the longest subject: questions/s and tokens/s before committing to the full run
step_mmlu_probe() {
  timed mmlu-probe "$LB" run mmlu "${mmlu_set[@]}" --set run.methods=none --set mmlu.subjects=professional_law \
      --out "$SCALE_OUT/mmlu-probe"
}

step_locomo() {
  timed "locomo${LOCOMO_METHODS:+-${LOCOMO_METHODS//,/-}}" "$LB" run locomo --config "$root/configs/qwen3-1.7b-base-locomo.yaml" \
      --set "locomo.file=$DATA/locomo/locomo10.json" --set "locomo.conversations=$LOCOMO_CONV" \
      ${LOCOMO_MAX_QUESTIONS:+--set locomo.maxQuestions=$LOCOMO_MAX_QUESTIONS} \
      ${LOCOMO_METHODS:+--set run.methods=$LOCOMO_METHODS} --out "$SCALE_OUT/locomo${LOCOMO_METHODS:+-${LOCOMO_METHODS//,/-}}"
}

# Table 1's preset on one book: the paper's relative-time protocol (warm-up excluded, x truncation on the same book)
step_table1() {
  timed table1 "$LB" run pg19 --config "$root/configs/paper/table1-qwen3-1.7b-base.yaml" "${pg19_set[@]}" \
      --out "$SCALE_OUT/table1"
}

# Issue 16: the training paradigms at 1.7B on the first 8 windows of the book (Table 1's preset): NTP, GRPO (the
# grpo section's defaults) for Locas and LoRA, and fixed vs expandable Locas (16 -> 64 rows, 16 more every 2 windows)
step_grpo() {
  timed "paradigm-grpo${GRPO_METHODS:+-${GRPO_METHODS//,/-}}" "$LB" run pg19 --config "$root/configs/paper/table1-qwen3-1.7b-base.yaml" "${pg19_set[@]}" \
      --set pg19.maxTokens="${PARADIGM_TOKENS:-8192}" --set run.methods="${GRPO_METHODS:-locas,lora}" \
      --set training.loss=GRPO --out "$SCALE_OUT/paradigms/grpo${GRPO_METHODS:+-${GRPO_METHODS//,/-}}"
}

step_paradigms() {
  local first=(--set pg19.maxTokens="${PARADIGM_TOKENS:-8192}")
  timed paradigm-ntp "$LB" run pg19 --config "$root/configs/paper/table1-qwen3-1.7b-base.yaml" "${pg19_set[@]}" \
      "${first[@]}" --set run.methods=none,locas,lora --out "$SCALE_OUT/paradigms/ntp"
  step_grpo
  timed paradigm-expandable "$LB" run ablation --config "$root/configs/paper/table1-qwen3-1.7b-base.yaml" \
      "${pg19_set[@]}" "${first[@]}" --set ablation.inits=highest --set ablation.widths=64 --set ablation.growEvery=2 \
      --set locas.growBy=16 --out "$SCALE_OUT/paradigms/expandable"
}

run_step() {
  local s="$1"
  case "$s" in
    checkpoint) step_checkpoint ;;
    hf-check) step_hf_check ;;
    pg19) step_pg19 ;;
    ablation) step_ablation ;;
    mmlu) step_mmlu ;;
    mmlu-shard:*) step_mmlu --shard "${s#mmlu-shard:}" ;;
    mmlu-probe) step_mmlu_probe ;;
    locomo) step_locomo ;;
    locomo:*) LOCOMO_METHODS="${s#locomo:}" step_locomo ;;
    table1) step_table1 ;;
    paradigms) step_paradigms ;;
    grpo) step_grpo ;;
    grpo:*) GRPO_METHODS="${s#grpo:}" step_grpo ;;
    *) echo "error: unknown step '$s' (checkpoint, hf-check, pg19, table1, paradigms, ablation, mmlu, mmlu-shard:I/N, mmlu-probe, locomo, locomo:METHODS; A+B runs A and B at once)"; exit 2 ;;
  esac
}

# a step "A+B+C" runs A, B and C at the same time (separate processes sharing the GPU; host-bound runs overlap well)
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$SCALE_OUT/gpu.txt"
for s in "$@"; do
  if [[ "$s" == *+* ]]; then
    IFS=+ read -ra parts <<<"$s"
    for p in "${parts[@]}"; do run_step "$p" > >(sed -u "s/^/[$p] /") 2>&1 & done
    wait
  else
    run_step "$s"
  fi
done

#!/usr/bin/env bash
# The GPU check, for a machine with one NVIDIA GPU (a driver for CUDA 11.x), Java 17 and Maven; about 10 minutes:
#   1. builds the CPU jar and the -Pgpu jar, and fetches JavaCPP's CUDA 11.6 runtime
#      (org.bytedeco:cuda:11.6-8.3-1.5.7:linux-x86_64-redist, what the EMR training step ships with --jars);
#   2. `timbre doctor --require-backend cuda`: the CUDA backend loads on this GPU (exit 3 and the reason if not);
#   3. trains irmas-cnn and the BiLSTM drum-onset model on generated data, on the GPU (-Pgpu jar + CUDA runtime) and
#      on the CPU (CPU jar), and prints examples/s, peak GPU memory (nvidia-smi) and the best validation metrics.
# Writes WORK_DIR/gpu-check.md (the table, the GPU, the date and the commit) for README "Run on EMR".
#
#   bench/gpu-check.sh [WORK_DIR]        (default: target/gpu-check)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mkdir -p "${1:-$root/target/gpu-check}" && cd "${1:-$root/target/gpu-check}" && pwd)"
cd "$root"
command -v nvidia-smi >/dev/null || { echo "gpu-check: no nvidia-smi: this machine has no NVIDIA driver" >&2; exit 1; }
gpu="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -n 1)"
echo "gpu-check: $gpu" >&2

echo "gpu-check: building the CPU jar, then the -Pgpu jar" >&2
mvn -B -q -DskipTests package
cp jobs/target/timbre-jobs-*-shaded.jar "$work/timbre-cpu.jar"
mvn -B -q -Pgpu -DskipTests package
cp jobs/target/timbre-jobs-*-shaded.jar "$work/timbre-gpu.jar"
redist="$work/cuda-11.6-8.3-1.5.7-linux-x86_64-redist.jar"
[[ -f "$redist" ]] || mvn -B -q dependency:copy -Dartifact=org.bytedeco:cuda:11.6-8.3-1.5.7:jar:linux-x86_64-redist \
  -DoutputDirectory="$work"
read -r -a flags <<< "$(grep -v '^ *#' conf/jvm-flags.txt | tr '\n' ' ')"
cpu() { java -Xmx8g "${flags[@]}" -cp "$work/timbre-cpu.jar" io.timbre.jobs.Timbre "$@"; }
cuda() { java -Xmx8g "${flags[@]}" -Dorg.bytedeco.javacpp.cachedir="$work/javacpp" \
  -cp "$work/timbre-gpu.jar:$redist" io.timbre.jobs.Timbre "$@"; }

echo "gpu-check: doctor" >&2
cuda doctor --require-backend cuda --fit-seconds 10 | tee "$work/doctor.txt"

rm -rf "$work/irmas" "$work/drums" "$work/tables" "$work/runs-"*
cpu make-sample-data --dataset irmas --out "$work/irmas" --clips-per-class 24 >/dev/null
cpu make-sample-data --dataset idmt-drums --out "$work/drums" --clips-per-class 12 >/dev/null
cat > "$work/onset-spec.conf" <<'SPEC'
kind = logmel
n_mels = 40
segment_seconds = 2.0
SPEC
irmas="$(cpu ingest --dataset irmas --input "$work/irmas" --output "$work/tables" --master 'local[4]' \
  | sed -n 's/^table //p')"
drums="$(cpu ingest --dataset idmt-drums --input "$work/drums" --output "$work/tables" --spec "$work/onset-spec.conf" \
  --master 'local[4]' | sed -n 's/^table //p')"

row() { # row MODEL BACKEND TABLE EXPERIMENT: one training run, one Markdown row
  local model="$1" backend="$2" table="$3" experiment="$4" out="$work/train-$1-$2.txt" peak="-"
  if [[ "$backend" == cuda ]]; then
    nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 > "$work/smi-$model.log" &
    local sampler=$!
    cuda train --table "$table" --model "$experiment" --out "$work/runs-cuda" --master 'local[1]' --workers 1 \
      --require-backend cuda > "$out"
    kill "$sampler"
    peak="$(sort -n "$work/smi-$model.log" | tail -n 1)"
  else
    cpu train --table "$table" --model "$experiment" --out "$work/runs-cpu" --master 'local[4]' --workers 4 \
      --require-backend cpu > "$out"
  fi
  local eps metrics
  eps="$(sed -n 's/^\([0-9.]*\) examples\/s.*/\1/p' "$out")"
  metrics="$(sed -n 's/^run [^:]*: .* best epoch [0-9]*, \(.*\)$/\1/p' "$out")"
  echo "| $model | $backend | $eps | $peak | $metrics |"
}

{
  echo "| model | backend | examples/s | peak GPU memory (MiB) | best validation metrics |"
  echo "|---|---|---:|---:|---|"
  row irmas-cnn cuda "$irmas" conf/experiments/irmas-cnn.conf
  row idmt-drums-onsets cuda "$drums" conf/experiments/idmt-drums-onsets-bilstm.conf
  row irmas-cnn cpu "$irmas" conf/experiments/irmas-cnn.conf
  row idmt-drums-onsets cpu "$drums" conf/experiments/idmt-drums-onsets-bilstm.conf
  echo
  echo "$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $gpu, $(nproc) CPU threads"
} | tee "$work/gpu-check.md"

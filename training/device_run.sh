#!/usr/bin/env bash
# Runs on the lent GPU machine (the device tool), one slice of at most 10 minutes of a longer run.
#   bash training/device_run.sh CONFIG SLICE_MINUTES TOTAL_MINUTES
# The first slice unpacks the carried bundle (.gpu, from `python3 -m training.device pack`) and
# starts fresh, or from .gpu/weights when earlier slices' weights were carried back in; later
# slices on the same warm machine resume with the optimizer state. The learning rate anneals over
# TOTAL_MINUTES in all. Each slice returns the float16 weights in parts plus the log in $OUT.
set -euo pipefail
CONFIG="$1"; SLICE="$2"; TOTAL="$3"
DATA=/tmp/ripple-data
RUN="/tmp/ripple-run-$CONFIG"
[ -f "$DATA/train.bin" ] || python3 -m training.device unpack --bundle .gpu --out "$DATA"
START=()
if [ -f "$RUN/checkpoint.pt" ]; then
  START=(--resume)
elif compgen -G ".gpu/weights/weights.part*" > /dev/null; then
  python3 -m training.device receive-weights --parts .gpu/weights --out /tmp/ripple-init.pt
  START=(--init /tmp/ripple-init.pt)
fi
nvidia-smi --query-gpu=name,memory.used,utilization.gpu --format=csv,noheader || true
python3 -m training.train --config "$CONFIG" --data "$DATA" --out "$RUN" --minutes "$SLICE" --schedule-minutes "$TOTAL" "${START[@]}"
python3 -m training.device send-weights --checkpoint "$RUN/checkpoint.pt" --out "$OUT"
cp "$RUN/log.jsonl" "$OUT/log.jsonl"
tail -n 3 "$RUN/log.jsonl"

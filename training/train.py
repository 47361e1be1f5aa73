"""Trains the next-edit transformer on training/.data.

python3 -m training.train --config tiny|small|base --data training/.data --out training/.runs/NAME
                          [--steps N] [--minutes M] [--resume]

Logs JSON lines to OUT/log.jsonl (train and validation loss: the model card's loss curve),
checkpoints to OUT/checkpoint.pt every K steps and when the time limit is reached, and the
final weights plus config to OUT/model.pt. Under torchrun (WORLD_SIZE>1) it trains with DDP."""

import argparse
import json
import math
import os
import random
import time
from contextlib import nullcontext

import numpy as np
import torch
import torch.nn.functional as F

from .configs import MODEL_CONFIGS, config_dict, model_config, train_config
from .dataset import IGNORE_INDEX, batches, load_meta, load_split, make_batch, prefetched, prompt_labels, usable_examples
from .model import TORCH_MAJOR, NextEditTransformer

CHECKPOINT_FILE = "checkpoint.pt"
FINAL_FILE = "model.pt"
LOG_FILE = "log.jsonl"
PREFETCH_BATCHES = 8


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, choices=sorted(MODEL_CONFIGS))
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--steps", type=int, help="total optimizer steps (overrides the config)")
    parser.add_argument("--minutes", type=float, help="stop, checkpoint and save after this much wall time")
    parser.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
    parser.add_argument("--schedule-minutes", type=float,
                        help="anneal the learning rate over this much training time in all, across --resume runs "
                             "(a lent GPU runs 10-minute commands); default: this run's --minutes")
    parser.add_argument("--threads", type=int, help="torch CPU threads")
    parser.add_argument("--init", help="start from these weights (a model.pt or checkpoint.pt of the same config, or "
                                       "of the same config without the copy head, which then starts fresh) "
                                       "with a fresh optimizer and schedule")
    parser.add_argument("--learning-rate", type=float, help="peak learning rate (overrides the config)")
    args = parser.parse_args(argv)
    if args.steps is not None and args.steps <= 0:
        parser.error("--steps must be positive")
    if args.minutes is not None and args.minutes <= 0:
        parser.error("--minutes must be positive")
    if args.schedule_minutes is not None and args.schedule_minutes <= 0:
        parser.error("--schedule-minutes must be positive")
    return args


def learning_rate_at(step: int, peak: float, warmup_steps: int, total_steps: int, min_ratio: float) -> float:
    """Linear warmup, then cosine decay to min_ratio * peak at total_steps."""
    if step < warmup_steps:
        return peak * (step + 1) / warmup_steps
    progress = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
    return peak * (min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


def schedule_horizon(step: int, first_step: int, total_steps: int, start_time: float, deadline: float) -> int:
    """The step the cosine schedule ends at: total_steps, or earlier when a --minutes limit will
    stop training first (projected from this run's pace), so a time-boxed run still anneals."""
    done = step - first_step
    if math.isinf(deadline) or done < 5:
        return total_steps
    pace = done / max(1e-6, time.time() - start_time)
    return max(step + 1, min(total_steps, step + int(pace * max(0.0, deadline - time.time()))))


def training_losses(model, inputs: torch.Tensor, labels: torch.Tensor, prompt: torch.Tensor):
    """Mean target loss and mean auxiliary prompt loss (zero when no prompt position is sampled),
    from one forward pass whose vocabulary projection covers only the scored positions."""
    target_mask = labels != IGNORE_INDEX
    prompt_mask = (prompt != IGNORE_INDEX) & ~target_mask
    scored = target_mask | prompt_mask
    logits, _, _ = model(inputs, logit_mask=scored)
    losses = F.cross_entropy(logits.float(), torch.where(target_mask, labels, prompt)[scored], reduction="none")
    is_target = target_mask[scored]
    target = losses[is_target].mean()
    prompt_loss = losses[~is_target].mean() if bool((~is_target).any()) else losses.new_zeros(())
    return target, prompt_loss


def optimizer_for(model: torch.nn.Module, learning_rate: float, weight_decay: float, use_cuda: bool):
    # Norm gains and the embedding stay undecayed: decaying the tied embedding shrinks the logits.
    decayed = [p for n, p in model.named_parameters() if p.dim() >= 2 and "embedding" not in n]
    undecayed = [p for n, p in model.named_parameters() if p.dim() < 2 or "embedding" in n]
    groups = [{"params": decayed, "weight_decay": weight_decay}, {"params": undecayed, "weight_decay": 0.0}]
    extra = {"fused": True} if use_cuda and TORCH_MAJOR >= 2 else {}
    return torch.optim.AdamW(groups, lr=learning_rate, betas=(0.9, 0.95), eps=1e-8, **extra)


def load_initial_weights(model, initial: dict, wanted_config: dict, source: str) -> None:
    """Loads --init weights; a checkpoint of the same config without the copy head also loads,
    leaving only the head's own (new) parameters at their initial values."""
    held = dict(initial.get("config") or {})
    held_head, wanted_head = held.get("copy_head", False), wanted_config.get("copy_head", False)
    grows_copy_head = wanted_head and not held_head
    # Equal apart from the head, and the head may be added but not dropped.
    if {**held, "copy_head": wanted_head} != wanted_config or (held_head and not wanted_head):
        raise SystemExit(f"--init {source} holds a different model config: {initial.get('config')}")
    missing, unexpected = model.load_state_dict(initial["model"], strict=not grows_copy_head)
    if unexpected or any(not name.startswith("pointer_") for name in missing):
        raise SystemExit(f"--init {source}: unexpected weights {unexpected}, missing {missing}")


def rng_state(generator: np.random.Generator) -> dict:
    state = {"python": random.getstate(), "torch": torch.get_rng_state(), "numpy": generator.bit_generator.state}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(state: dict, generator: np.random.Generator) -> None:
    random.setstate(state["python"])
    torch.set_rng_state(state["torch"])
    generator.bit_generator.state = state["numpy"]
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


@torch.no_grad()
def validation_loss(model, split, usable, batch_tokens: int, batch_count: int, device) -> float:
    """Token-weighted mean target loss over a fixed, seeded subset so values compare across steps."""
    model.eval()
    generator = np.random.default_rng(0)
    stream = batches(split, usable, batch_tokens, generator)
    total, count = 0.0, 0
    for _ in range(batch_count):
        inputs, labels = make_batch(split, next(stream))
        inputs, labels = inputs.to(device), labels.to(device)
        mask = labels != IGNORE_INDEX
        logits, _, _ = model(inputs, logit_mask=mask)
        total += float(F.cross_entropy(logits.float(), labels[mask], reduction="sum"))
        count += int(mask.sum())
    model.train()
    return total / max(1, count)


def save_checkpoint(path: str, model, optimizer, step: int, generator, tokens_seen: int, elapsed_s: float, meta: dict) -> None:
    temporary = path + ".tmp"
    torch.save({
        "model": unwrap(model).state_dict(), "optimizer": optimizer.state_dict(), "step": step,
        "rng": rng_state(generator), "tokens_seen": tokens_seen, "elapsed_s": elapsed_s, **meta,
    }, temporary)
    # Atomic replace: a kill during the save leaves the previous checkpoint intact.
    os.replace(temporary, path)


def unwrap(model):
    model = getattr(model, "module", model)
    return getattr(model, "_orig_mod", model)


def main(argv=None) -> int:
    args = parse_args(argv)
    start_time = time.time()
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    use_cuda = torch.cuda.is_available()
    if world_size > 1:
        torch.distributed.init_process_group("nccl" if use_cuda else "gloo")
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device(f"cuda:{local_rank}" if use_cuda else "cpu")
    if use_cuda:
        torch.cuda.set_device(device)
    if args.threads:
        torch.set_num_threads(args.threads)
    is_main = rank == 0

    meta = load_meta(args.data)
    config = model_config(args.config, vocab_size=int(meta["vocabSize"]))
    training = train_config(args.config)
    total_steps = args.steps or training.total_steps
    train_split = load_split(args.data, "train")
    valid_split = load_split(args.data, "valid")
    train_usable = usable_examples(train_split, config.max_positions)
    valid_usable = usable_examples(valid_split, config.max_positions)
    if len(train_usable) == 0 or len(valid_usable) == 0:
        raise SystemExit("no usable examples (all longer than max_positions or without targets)")

    torch.manual_seed(training.seed + rank)
    random.seed(training.seed + rank)
    generator = np.random.default_rng(training.seed + rank)
    model = NextEditTransformer(config).to(device)
    peak_learning_rate = args.learning_rate or training.learning_rate
    optimizer = optimizer_for(model, peak_learning_rate, training.weight_decay, use_cuda)
    os.makedirs(args.out, exist_ok=True)
    checkpoint_path = os.path.join(args.out, CHECKPOINT_FILE)
    step, tokens_seen, elapsed_before_s = 0, 0, 0.0
    if args.init and not (args.resume and os.path.exists(checkpoint_path)):
        initial = torch.load(args.init, map_location=device)
        load_initial_weights(model, initial, config_dict(config), args.init)
        if is_main:
            print(f"initialised from {args.init} (step {initial.get('step')})", flush=True)
    if args.resume and os.path.exists(checkpoint_path):
        checkpoint = torch.load(checkpoint_path, map_location=device)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        restore_rng(checkpoint["rng"], generator)
        step, tokens_seen, elapsed_before_s = checkpoint["step"], checkpoint["tokens_seen"], checkpoint["elapsed_s"]
        if is_main:
            print(f"resumed from step {step}", flush=True)

    if world_size > 1:
        model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if use_cuda else None)
    if use_cuda and TORCH_MAJOR >= 2:
        model = torch.compile(model)
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if use_cuda and torch.cuda.is_bf16_supported() else nullcontext()
    checkpoint_meta = {"config": config_dict(config), "config_name": args.config, "train_config": config_dict(training),
                       "data_tokenizer_sha256": meta.get("tokenizerSha256")}

    log = open(os.path.join(args.out, LOG_FILE), "a", encoding="utf-8") if is_main else None

    def write_log(record: dict) -> None:
        if log:
            log.write(json.dumps(record) + "\n")
            log.flush()
            print(json.dumps(record), flush=True)

    if is_main and step == 0:
        write_log({"event": "start", "config": args.config, "parameters": unwrap(model).parameter_count(),
                   "train_examples": len(train_usable), "valid_examples": len(valid_usable), "world_size": world_size})
    stream = batches(train_split, train_usable, training.batch_tokens, generator)

    def make_training_batch(examples):
        inputs, labels = make_batch(train_split, examples)
        return inputs, labels, prompt_labels(train_split, examples, inputs, training.prompt_loss_fraction, generator)

    train_batches = (make_training_batch(examples) for examples in stream)
    if use_cuda:
        # Batching is Python work; on a GPU it would leave the device idle between steps.
        train_batches = prefetched(train_batches, PREFETCH_BATCHES)
    deadline = start_time + args.minutes * 60 if args.minutes else math.inf
    schedule_deadline = start_time + args.schedule_minutes * 60 - elapsed_before_s if args.schedule_minutes else deadline
    window_loss, window_prompt_loss, window_steps = 0.0, 0.0, 0
    first_step = step
    model.train()
    while step < total_steps:
        learning_rate = learning_rate_at(step, peak_learning_rate, training.warmup_steps,
                                         schedule_horizon(step, first_step, total_steps, start_time, schedule_deadline),
                                         training.min_learning_rate_ratio)
        for group in optimizer.param_groups:
            group["lr"] = learning_rate
        inputs, labels, prompt = next(train_batches)
        inputs, labels = inputs.to(device, non_blocking=True), labels.to(device, non_blocking=True)
        prompt = prompt.to(device, non_blocking=True)
        with autocast:
            target, prompt_loss = training_losses(model, inputs, labels, prompt)
            loss = target + training.prompt_loss_weight * prompt_loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), training.grad_clip_norm)
        optimizer.step()
        step += 1
        tokens_seen += int(inputs.numel()) * world_size
        window_loss += float(target)
        window_prompt_loss += float(prompt_loss)
        window_steps += 1

        out_of_time = time.time() >= deadline
        if step % training.validate_every_steps == 0 or step == total_steps or out_of_time:
            elapsed_s = elapsed_before_s + time.time() - start_time
            record = {"event": "train", "step": step, "train_loss": window_loss / window_steps,
                      "prompt_loss": window_prompt_loss / window_steps, "lr": learning_rate,
                      "tokens": tokens_seen, "elapsed_s": round(elapsed_s, 1)}
            window_loss, window_prompt_loss, window_steps = 0.0, 0.0, 0
            if is_main:
                record["valid_loss"] = validation_loss(unwrap(model), valid_split, valid_usable, training.batch_tokens,
                                                       training.validation_batches, device)
            write_log(record)
        if is_main and (step % training.checkpoint_every_steps == 0 or out_of_time or step == total_steps):
            save_checkpoint(checkpoint_path, model, optimizer, step, generator, tokens_seen,
                            elapsed_before_s + time.time() - start_time, checkpoint_meta)
        if out_of_time:
            break

    if is_main:
        torch.save({"model": unwrap(model).state_dict(), "step": step, "tokens_seen": tokens_seen,
                    "elapsed_s": elapsed_before_s + time.time() - start_time, **checkpoint_meta},
                   os.path.join(args.out, FINAL_FILE))
        write_log({"event": "done", "step": step, "tokens": tokens_seen})
    if world_size > 1:
        torch.distributed.destroy_process_group()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

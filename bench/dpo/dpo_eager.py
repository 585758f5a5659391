#!/usr/bin/python3
"""The PyTorch side of bench/dpo/run.sh: the same DPO optimiser step as bench_dpo (our
trainDpo), written as PyTorch eager the way TRL's DPOTrainer runs it, on the Llama forward
of bench/generation/eager_llama.py (imported, not copied).

    /usr/bin/python3 dpo_eager.py DIR --pairs-file FILE [--steps 5] [--warmup 1] [--threads N]
                                      [--beta 0.1] [--lr 1e-5] [--profile 1] [--rss 1]

DIR/policy and DIR/reference are the checkpoints `bench_dpo save` wrote; FILE the pairs
`bench_dpo pairs` wrote. As trainDpo: the reference's log-probabilities once, under no_grad,
before training; then per step the policy's forward over 2B rows (every chosen, then every
rejected continuation; TRL's concatenated_forward), per-sequence log-probabilities of the
continuation tokens (TRL's get_batch_logps: full-vocabulary log_softmax in float32, gather,
masked sum), the sigmoid loss -log σ(β((π_c - ref_c) - (π_r - ref_r))) averaged over pairs,
backward, clip_grad_norm_ to 1, torch.optim.AdamW (no weight decay, the cosine schedule of
our Optimiser with no warm-up), zero_grad. Prints one JSON line with the fields bench_dpo
prints, plus the median time of each phase (bench_dpo's --phases 1). --rss 1 also records
the resident memory after loading, after the reference and after each phase of each step.
"""
import argparse
import json
import math
import pathlib
import resource
import sys
import time

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "generation"))
from eager_llama import EagerLlama  # noqa: E402


def sequence_logps(model, ids, loss_mask):
    """Sum of log p(token | prefix) over the continuation tokens of each row: [rows]."""
    h = model.decoder(ids, 0, [])
    h = model.rms_norm(h, model.w["model.norm.weight"])
    logits = F.linear(h, model.lm_head).float()  # as HF's LlamaForCausalLM: every position
    logits = logits[:, :-1, :]
    labels = ids[:, 1:]
    per_token = torch.gather(logits.log_softmax(-1), dim=2, index=labels.unsqueeze(2)).squeeze(2)
    return (per_token * loss_mask).sum(-1)


def batch_of(pairs):
    """2B rows, chosen first then rejected, and the mask of the predicted continuation tokens."""
    rows, masks = [], []
    for key in ("chosen", "rejected"):
        for p in pairs:
            rows.append(p["prompt"] + p[key])
            masks.append([0.0] * (len(p["prompt"]) - 1) + [1.0] * len(p[key]))
    width = max(len(r) for r in rows)  # the bench's rows all have the same length: no padding
    if any(len(r) != width for r in rows):
        raise SystemExit("dpo_eager.py: rows of different lengths are not supported")
    return torch.tensor(rows, dtype=torch.int64), torch.tensor(masks, dtype=torch.float32)


def learning_rate_at(step, peak, total):
    """Our Optimiser's schedule with no warm-up: cosine from the peak to 0 over `total` steps."""
    progress = min(1.0, step / max(total, 1))
    return peak * 0.5 * (1.0 + math.cos(math.pi * progress))


def print_profile(profiler, steps):
    stats = {}
    for event in profiler.function_events:
        if event.cpu_parent is None:
            calls, micros = stats.get(event.name, (0, 0.0))
            stats[event.name] = (calls + 1, micros + event.cpu_time_total)
    total = sum(micros for _, micros in stats.values())
    err = sys.stderr
    print(f"python: top-level operators and autograd nodes, per step ({total / 1e3 / steps:.1f} ms per step in all)", file=err)
    print(f"{'operator':<44} {'calls':>9} {'ms':>10}", file=err)
    for name, (calls, micros) in sorted(stats.items(), key=lambda kv: -kv[1][1]):
        if micros / 1e3 / steps >= 0.05:
            print(f"{name:<44} {calls / steps:>9.1f} {micros / 1e3 / steps:>10.2f}", file=err)


RSS = False


def current_rss_mb():
    """The process's resident memory now (the peak is ru_maxrss); 0 without --rss 1."""
    if not RSS:
        return 0.0
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / (1024.0 * 1024.0)


def median(values):
    values = sorted(values)
    n = len(values)
    if n == 0:
        return 0.0
    return values[n // 2] if n % 2 else 0.5 * (values[n // 2 - 1] + values[n // 2])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=pathlib.Path)
    parser.add_argument("--pairs-file", type=pathlib.Path, required=True)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--beta", type=float, default=0.1)
    parser.add_argument("--lr", type=float, default=1e-5)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--rss", type=int, default=0, help="record the resident memory after each phase")
    a = parser.parse_args()
    torch.set_num_threads(a.threads)
    global RSS
    RSS = a.rss != 0
    pairs = json.loads(a.pairs_file.read_text())["pairs"]
    n = len(pairs)
    policy = EagerLlama(a.directory / "policy")
    reference = EagerLlama(a.directory / "reference")
    parameters = []
    for tensor in policy.w.values():  # tied embeddings: lm_head is the embedding tensor itself
        if not any(tensor is p for p in parameters):
            parameters.append(tensor.requires_grad_())
    total = a.warmup + a.steps
    rss = [["models loaded", current_rss_mb()]]

    # The reference once, up front (trainDpo does the same).
    with torch.no_grad():
        ids, mask = batch_of(pairs)
        ref = sequence_logps(reference, ids, mask)
        ref_chosen, ref_rejected = ref[:n].clone(), ref[n:].clone()
    rss.append(["reference log-probs", current_rss_mb()])

    optimiser = torch.optim.AdamW(parameters, lr=a.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    records = []
    profiler = None
    for step in range(total):
        if a.profile and step == a.warmup:
            profiler = torch.autograd.profiler.profile()
            profiler.__enter__()
        cpu_start = time.process_time()
        start = time.perf_counter()
        ids, mask = batch_of(pairs)
        logps = sequence_logps(policy, ids, mask)
        chosen, rejected = logps[:n], logps[n:]
        t_forward = time.perf_counter()
        rss_forward = current_rss_mb()
        chosen_rewards = a.beta * (chosen - ref_chosen)
        rejected_rewards = a.beta * (rejected - ref_rejected)
        loss = -F.logsigmoid(chosen_rewards - rejected_rewards).mean()
        value = loss.item()
        metrics = {  # what TRL (and our dpoLoss) report each step
            "rewards/chosen": chosen_rewards.detach().mean().item(),
            "rewards/rejected": rejected_rewards.detach().mean().item(),
            "rewards/margins": (chosen_rewards - rejected_rewards).detach().mean().item(),
            "rewards/accuracies": (chosen_rewards > rejected_rewards).float().mean().item(),
            "logps/chosen": chosen.detach().mean().item(),
            "logps/rejected": rejected.detach().mean().item(),
        }
        t_loss = time.perf_counter()
        loss.backward()
        t_backward = time.perf_counter()
        rss_backward = current_rss_mb()
        grad_norm = torch.nn.utils.clip_grad_norm_(parameters, 1.0).item()
        for group in optimiser.param_groups:
            group["lr"] = learning_rate_at(step, a.lr, total)
        optimiser.step()
        optimiser.zero_grad()
        end = time.perf_counter()
        cpu = time.process_time() - cpu_start
        rss.append([f"step {step + 1}", {"forward": rss_forward, "backward": rss_backward, "optimiser": current_rss_mb()}])
        records.append({"seconds": end - start, "cpu": cpu, "loss": value, "grad_norm": grad_norm, "metrics": metrics,
                        "forward": t_forward - start, "loss_s": t_loss - t_forward,
                        "backward": t_backward - t_loss, "optimiser": end - t_backward})
    if profiler:
        profiler.__exit__(None, None, None)
        print_profile(profiler, a.steps)

    timed = records[a.warmup:]
    step_s = median([r["seconds"] for r in timed])
    cpu_step = median([r["cpu"] for r in timed])
    first = pairs[0]
    print(json.dumps({
        "side": "python",
        "pairs": n,
        "rows": 2 * n,
        "tokens_per_row": len(first["prompt"]) + len(first["chosen"]),
        "steps": a.steps,
        "warmup": a.warmup,
        "threads": torch.get_num_threads(),
        "reference": "log-probs precomputed once, before the first step",
        "pairs_per_s": n / step_s if step_s > 0 else 0.0,
        "step_s": step_s,
        "step_s_all": [r["seconds"] for r in timed],
        "pairs_per_cpu_s": n / cpu_step if cpu_step > 0 else 0.0,
        "cpu_step_s": cpu_step,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "first_loss": records[0]["loss"],
        "first_grad_norm": records[0]["grad_norm"],
        "last_loss": records[-1]["loss"],
        "losses": [r["loss"] for r in records],
        "phases_s": {k: median([r[key] for r in timed])
                     for k, key in (("forward", "forward"), ("loss", "loss_s"), ("backward", "backward"),
                                    ("optimiser", "optimiser"))},
        **({"rss_mb": rss} if RSS else {}),
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()

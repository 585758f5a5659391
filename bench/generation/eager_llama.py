#!/usr/bin/python3
"""The PyTorch side of bench/generation/run.sh: the Llama forward written as PyTorch eager,
the way transformers' modeling_llama runs it (RMSNorm in float32, rotate_half RoPE,
repeat_kv for grouped-query attention, a KV cache grown with torch.cat as DynamicCache
does, logits of the last position only), greedy decoding, no transformers needed.

    /usr/bin/python3 eager_llama.py DIR --batch B [--prompt 32] [--new 128] [--threads N] [--warmup 8] [--profile 1]

Reads DIR/config.json and DIR/model.safetensors (a small numpy reader: the `safetensors`
package may be missing) and prints one JSON line with the same fields as bench_generation.
"""
import argparse
import json
import math
import pathlib
import resource
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path: pathlib.Path) -> dict:
    raw = path.read_bytes()
    length = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + length])
    data = memoryview(raw)[8 + length :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] == "BF16":  # numpy has no bfloat16: widen the 16 bits to float32
            begin, end = info["data_offsets"]
            halves = np.frombuffer(data[begin:end], dtype=np.uint16).astype(np.uint32) << 16
            array = halves.view(np.float32)
        else:
            begin, end = info["data_offsets"]
            array = np.frombuffer(data[begin:end], dtype=DTYPES[info["dtype"]])
        tensors[name] = torch.from_numpy(array.copy()).reshape(info["shape"]).float()
    return tensors


def prompt_of(row: int, length: int, vocab: int) -> list:
    return [(row * 7919 + i * 104729 + 17) % vocab for i in range(length)]


class EagerLlama:
    def __init__(self, directory: pathlib.Path):
        c = json.loads((directory / "config.json").read_text())
        self.heads = c["num_attention_heads"]
        self.kv_heads = c.get("num_key_value_heads", self.heads)
        self.head_dim = c.get("head_dim") or c["hidden_size"] // self.heads
        self.eps = c["rms_norm_eps"]
        self.layers = c["num_hidden_layers"]
        w = read_safetensors(directory / "model.safetensors")
        self.w = w
        self.embed = w["model.embed_tokens.weight"]
        self.lm_head = w.get("lm_head.weight", self.embed)
        exponent = torch.arange(0, self.head_dim, 2, dtype=torch.int64).float() / self.head_dim
        self.inv_freq = 1.0 / (c.get("rope_theta", 10000.0) ** exponent)

    def rms_norm(self, x, weight):
        x32 = x.to(torch.float32)
        return weight * (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)).to(x.dtype)

    @staticmethod
    def rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat((-x[..., half:], x[..., :half]), dim=-1)

    @staticmethod
    def repeat_kv(x, groups):
        if groups == 1:
            return x
        b, kv, t, d = x.shape
        return x[:, :, None, :, :].expand(b, kv, groups, t, d).reshape(b, kv * groups, t, d)

    def forward(self, ids, start, cache):
        """ids [B, T] at positions start..start+T-1; returns last-position logits [B, V]."""
        h = self.decoder(ids, start, cache)
        h = self.rms_norm(h[:, -1], self.w["model.norm.weight"])
        return F.linear(h, self.lm_head)

    def decoder(self, ids, start, cache):
        """The decoder layers over ids [B, T] at positions start..start+T-1, appending to
        `cache` (a list, empty at first); returns the hidden states [B, T, H] before the
        final norm. bench/dpo/dpo_eager.py trains through this too."""
        b, t = ids.shape
        h = F.embedding(ids, self.embed)
        positions = torch.arange(start, start + t, dtype=torch.float32)
        freqs = positions[:, None] * self.inv_freq[None, :]
        angles = torch.cat((freqs, freqs), dim=-1)
        cos, sin = angles.cos()[None, None], angles.sin()[None, None]
        mask = None
        if t > 1:
            mask = torch.full((t, start + t), float("-inf")).triu(start + 1)
        groups = self.heads // self.kv_heads
        for i in range(self.layers):
            p = f"model.layers.{i}."
            x = self.rms_norm(h, self.w[p + "input_layernorm.weight"])
            q = F.linear(x, self.w[p + "self_attn.q_proj.weight"]).view(b, t, self.heads, self.head_dim).transpose(1, 2)
            k = F.linear(x, self.w[p + "self_attn.k_proj.weight"]).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
            v = F.linear(x, self.w[p + "self_attn.v_proj.weight"]).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
            q = q * cos + self.rotate_half(q) * sin
            k = k * cos + self.rotate_half(k) * sin
            if i < len(cache):
                k = torch.cat((cache[i][0], k), dim=2)
                v = torch.cat((cache[i][1], v), dim=2)
                cache[i] = (k, v)
            else:
                cache.append((k, v))
            k, v = self.repeat_kv(k, groups), self.repeat_kv(v, groups)
            scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
            if mask is not None:
                scores = scores + mask
            weights = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
            out = torch.matmul(weights, v).transpose(1, 2).reshape(b, t, self.heads * self.head_dim)
            h = h + F.linear(out, self.w[p + "self_attn.o_proj.weight"])
            x = self.rms_norm(h, self.w[p + "post_attention_layernorm.weight"])
            gate = F.linear(x, self.w[p + "mlp.gate_proj.weight"])
            up = F.linear(x, self.w[p + "mlp.up_proj.weight"])
            h = h + F.linear(F.silu(gate) * up, self.w[p + "mlp.down_proj.weight"])
        return h

    def generate(self, prompts, new_tokens):
        ids = torch.tensor(prompts, dtype=torch.int64)
        cache = []
        logits = self.forward(ids, 0, cache)
        out = []
        length = ids.shape[1]
        for step in range(new_tokens):
            token = logits.argmax(dim=-1)
            out.append(token)
            if step + 1 == new_tokens:
                break
            logits = self.forward(token[:, None], length, cache)
            length += 1
        return torch.stack(out, dim=1)


def print_profile(profiler, positions):
    """The top-level operators (not called from inside another), as bench_generation prints them."""
    stats = {}
    for event in profiler.function_events:
        if event.cpu_parent is None:
            calls, micros = stats.get(event.name, (0, 0.0))
            stats[event.name] = (calls + 1, micros + event.cpu_time_total)
    total = sum(calls for calls, _ in stats.values())
    err = sys.stderr
    print(f"python: {total} top-level operator calls, {total / positions:.1f} per generated position", file=err)
    print(f"{'operator':<36} {'calls':>8} {'per pos':>9} {'ms':>10}", file=err)
    for name, (calls, micros) in sorted(stats.items(), key=lambda kv: -kv[1][1]):
        print(f"{name:<36} {calls:>8} {calls / positions:>9.1f} {micros / 1e3:>10.1f}", file=err)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=pathlib.Path)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--prompt", type=int, default=32)
    parser.add_argument("--new", type=int, default=128)
    parser.add_argument("--warmup", type=int, default=8)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--profile", type=int, default=0, help="print the top-level operators of the timed run")
    a = parser.parse_args()
    torch.set_num_threads(a.threads)
    model = EagerLlama(a.directory)
    vocab = model.embed.shape[0]
    prompts = [prompt_of(row, a.prompt, vocab) for row in range(a.batch)]
    with torch.inference_mode():
        if a.warmup > 0:
            model.generate(prompts, a.warmup)
        profiler = torch.autograd.profiler.profile() if a.profile else None
        if profiler:
            profiler.__enter__()
        start = time.perf_counter()
        tokens = model.generate(prompts, a.new)
        seconds = time.perf_counter() - start
        if profiler:
            profiler.__exit__(None, None, None)
            print_profile(profiler, a.new)
    made = tokens.numel()
    print(json.dumps({
        "side": "python",
        "batch": a.batch,
        "threads": torch.get_num_threads(),
        "new_tokens": made,
        "seconds": seconds,
        "tokens_per_s": made / seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "torch": torch.__version__,
        "rows": tokens.tolist(),
    }))


if __name__ == "__main__":
    main()

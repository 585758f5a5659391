#!/usr/bin/python3
"""An independent float64 forward pass of the HF checkpoints, checked against llama.cpp.

Reads <model>/config.json and <model>/model.safetensors exactly as an HF loader would
(HF tensor names, F32/F16/BF16), runs the standard Llama / Qwen2 decoder in float64
numpy (RMSNorm, rotate-half RoPE with transformers' llama3 inv_freq scaling, GQA,
SwiGLU, tied or separate lm_head, Qwen2's q/k/v biases) and compares the next-token
distributions with golden/<model>.f32 written by llamacpp_logits.mjs.

    /usr/bin/python3 tests/data/models/reference_forward.py [model ...]

Prints, per model, the largest relative error of the probabilities, max |p_ref - p_cpp| /
p_ref over every sequence, position and vocabulary id, and exits non-zero above 1e-4.
"""
import json
import math
import struct
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
TOLERANCE = 1e-4


def load_safetensors(path):
    raw = Path(path).read_bytes()
    (n,) = struct.unpack_from("<Q", raw, 0)
    header = json.loads(raw[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        buf = raw[base + a:base + b]
        dt = info["dtype"]
        if dt == "F32":
            x = np.frombuffer(buf, dtype="<f4")
        elif dt == "F16":
            x = np.frombuffer(buf, dtype="<f2")
        elif dt == "BF16":
            x = (np.frombuffer(buf, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise ValueError(f"{name}: dtype {dt}")
        out[name] = (x.astype(np.float64).reshape(info["shape"]), dt)
    return out


def inv_freq(cfg, head_dim):
    """transformers' default RoPE inv_freq, with _compute_llama3_parameters when asked."""
    base = cfg["rope_theta"]
    inv = 1.0 / (base ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim))
    rs = cfg.get("rope_scaling")
    if rs is None:
        return inv
    assert rs.get("rope_type", rs.get("type")) == "llama3", rs
    factor, lo, hi = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"]
    old = rs["original_max_position_embeddings"]
    lo_wl, hi_wl = old / lo, old / hi
    wavelen = 2 * math.pi / inv
    inv_l = np.where(wavelen > lo_wl, inv / factor, inv)
    smooth = (old / wavelen - lo) / (hi - lo)
    smoothed = (1 - smooth) * inv_l / factor + smooth * inv_l
    medium = ~(wavelen < hi_wl) & ~(wavelen > lo_wl)
    return np.where(medium, smoothed, inv_l)


def rms_norm(x, w, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w


def rotate_half(x):
    h = x.shape[-1] // 2
    return np.concatenate([-x[..., h:], x[..., :h]], axis=-1)


def forward(cfg, w, ids):
    """Log-probabilities [len(ids), vocab] of the next token at every position."""
    h = cfg["hidden_size"]
    nh, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg.get("head_dim") or h // nh
    eps = cfg["rms_norm_eps"]
    n = len(ids)

    pos = np.arange(n, dtype=np.float64)
    freqs = np.outer(pos, inv_freq(cfg, hd))
    emb = np.concatenate([freqs, freqs], axis=-1)
    cos, sin = np.cos(emb), np.sin(emb)  # [n, hd]

    def lin(x, name):
        y = x @ w[name + ".weight"].T
        if name + ".bias" in w:
            y = y + w[name + ".bias"]
        return y

    x = w["model.embed_tokens.weight"][ids]
    mask = np.triu(np.full((n, n), -np.inf), k=1)
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        a = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = lin(a, p + "self_attn.q_proj").reshape(n, nh, hd).transpose(1, 0, 2)
        k = lin(a, p + "self_attn.k_proj").reshape(n, nkv, hd).transpose(1, 0, 2)
        v = lin(a, p + "self_attn.v_proj").reshape(n, nkv, hd).transpose(1, 0, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = nh // nkv
        k = np.repeat(k, rep, axis=0)
        v = np.repeat(v, rep, axis=0)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(hd) + mask
        s = np.exp(s - s.max(axis=-1, keepdims=True))
        s = s / s.sum(axis=-1, keepdims=True)
        o = (s @ v).transpose(1, 0, 2).reshape(n, nh * hd)
        x = x + lin(o, p + "self_attn.o_proj")
        a = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        g = lin(a, p + "mlp.gate_proj")
        x = x + lin(g / (1 + np.exp(-g)) * lin(a, p + "mlp.up_proj"), p + "mlp.down_proj")
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else w["lm_head.weight"]
    logits = x @ head.T
    logits = logits - logits.max(axis=-1, keepdims=True)
    return logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))


def check(name):
    cfg = json.loads((HERE / name / "config.json").read_text())
    tensors = load_safetensors(HERE / name / "model.safetensors")
    w = {k: v for k, (v, _) in tensors.items()}
    golden = json.loads((HERE / "golden" / f"{name}.json").read_text())
    vocab = golden["vocab_size"]
    assert vocab == cfg["vocab_size"]
    lp_cpp = np.fromfile(HERE / "golden" / golden["logprobs_file"], dtype="<f4").astype(np.float64)
    total = sum(len(s) for s in golden["sequences"])
    assert lp_cpp.size == total * vocab, (lp_cpp.size, total, vocab)

    worst_rel, worst_lp, entropies = 0.0, 0.0, []
    for s, ids in enumerate(golden["sequences"]):
        ref = forward(cfg, w, ids)
        off = golden["offsets"][s]
        cpp = lp_cpp[off:off + len(ids) * vocab].reshape(len(ids), vocab)
        p_ref, p_cpp = np.exp(ref), np.exp(cpp)
        worst_rel = max(worst_rel, float(np.max(np.abs(p_ref - p_cpp) / p_ref)))
        worst_lp = max(worst_lp, float(np.max(np.abs(ref - cpp))))
        entropies += list(-(p_ref * ref).sum(axis=-1))
    dtypes = sorted({dt for _, dt in tensors.values()})
    print(f"{name}: {total} positions x {vocab} ids, dtypes {'/'.join(dtypes)}: "
          f"max rel err of p {worst_rel:.2e}, max |dlogp| {worst_lp:.2e}, "
          f"entropy {min(entropies):.2f}..{max(entropies):.2f} nats (uniform {math.log(vocab):.2f})")
    return worst_rel <= TOLERANCE


def main():
    names = sys.argv[1:] or list(json.loads((HERE / "sequences.json").read_text()))
    ok = all([check(n) for n in names])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

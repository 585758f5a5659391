#!/usr/bin/python3
"""Writes the tiny random-weight transformer fixtures, each twice from the same numbers.

For every model: an HF checkpoint directory (config.json, generation_config.json,
model.safetensors, tokenizer.json, tokenizer_config.json) for our loader, and a GGUF v3
file for llama.cpp (the oracle). Also sequences.json: the token-id sequences the oracle
and the tests evaluate.

Only numpy and the standard library; run with Debian's interpreter:
    /usr/bin/python3 tests/data/models/make_tiny_models.py
Output is byte-for-byte deterministic (fixed seeds, no timestamps).
"""
import json
import math
import re
import struct
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
TRANSFORMERS_VERSION = "4.46.3"  # the version whose save_pretrained layout config.json imitates

# ---------------------------------------------------------------------------------------
# Tokenizer: GPT-2 style byte-level BPE, 256 byte tokens + merges learnt on a fixed text
# + 3 special tokens = 384 tokens. Only token ids matter to the forward-pass oracle; the
# vocabulary exists so that llama.cpp loads the GGUF and the HF directory is complete.
# ---------------------------------------------------------------------------------------
N_MERGES_TARGET = 384 - 256 - 3

TRAINING_TEXT = """\
The user asks the assistant to help write a short report about the weather in the city.
The assistant asks what the report is for, who will read it, and how long it should be.
A good collaborator asks questions when the goal is not clear, and then writes the text.
The document is edited turn by turn: the user reads it, comments, and the assistant revises.
We train language models to collaborate with people over many turns of a conversation,
and we reward the model when the whole conversation goes well, not only the next reply.
In the city the weather was cold in the morning, warm in the afternoon and rainy at night.
"""


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable unicode character map."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\xa1"), ord("\xac") + 1)) + \
        list(range(ord("\xae"), ord("\xff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def train_bpe(text, n_merges):
    """Plain BPE training; ties broken by the smallest pair, so the result is deterministic."""
    b2u = bytes_to_unicode()
    # GPT-2's pre-tokenizer regex, restricted to ASCII (the training text is ASCII).
    pattern = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+")
    words = {}
    for piece in pattern.findall(text):
        w = tuple(b2u[b] for b in piece.encode("utf-8"))
        words[w] = words.get(w, 0) + 1
    vocab = [b2u[b] for b in range(256)]  # id i is byte i
    known = set(vocab)
    merges = []
    while len(merges) < n_merges:
        counts = {}
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                counts[(a, b)] = counts.get((a, b), 0) + c
        if not counts:
            break
        best = min(counts, key=lambda p: (-counts[p], p))
        merges.append(best)
        new = best[0] + best[1]
        if new not in known:
            known.add(new)
            vocab.append(new)
        merged = {}
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(new)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + c
        words = merged
    return vocab, merges


def tokenizer_json(vocab, merges, specials):
    n = len(vocab)
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": n + i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for i, s in enumerate(specials)
        ],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                          "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False,
                           "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": {
            "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
            "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
            "ignore_merges": False,
            "vocab": {t: i for i, t in enumerate(vocab)},
            "merges": [a + " " + b for a, b in merges],
        },
    }


def tokenizer_config_json(specials, bos, eos, pad):
    return {
        "add_bos_token": False,
        "add_eos_token": False,
        "added_tokens_decoder": {
            str(i): {"content": s, "lstrip": False, "normalized": False, "rstrip": False,
                     "single_word": False, "special": True}
            for i, s in specials
        },
        "bos_token": bos,
        "clean_up_tokenization_spaces": False,
        "eos_token": eos,
        "model_max_length": 1000000000000000019884624838656,
        "pad_token": pad,
        "tokenizer_class": "PreTrainedTokenizerFast",
    }


# ---------------------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------------------
LLAMA_SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>"]
QWEN_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

MODELS = [
    dict(name="tiny-llama", arch="llama", seed=1001, hidden=64, layers=2, heads=4, kv_heads=2,
         ffn=128, rope_theta=10000.0, eps=1e-5, tied=False, rope_scaling=None, bias=False,
         max_pos=256, specials=LLAMA_SPECIALS, seq_lens=[1, 7, 40], dtypes={}),
    # Llama 3.1-style rope scaling. head_dim 16, theta 1e4: wavelengths 6.3, 19.9, 62.8,
    # 199, ... against 64/4=16 and 64/1=64, so the 8 frequency pairs fall in all three
    # bands (unscaled, smoothed, divided by 8). The long sequence crosses position 64.
    dict(name="tiny-llama3-scaled", arch="llama", seed=1002, hidden=64, layers=2, heads=4,
         kv_heads=2, ffn=128, rope_theta=10000.0, eps=1e-5, tied=True,
         rope_scaling={"factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                       "original_max_position_embeddings": 64, "rope_type": "llama3"},
         bias=False, max_pos=512, specials=LLAMA_SPECIALS, seq_lens=[1, 7, 100],
         dtypes="scaled"),
    dict(name="tiny-qwen2", arch="qwen2", seed=1003, hidden=64, layers=2, heads=4, kv_heads=2,
         ffn=128, rope_theta=1000000.0, eps=1e-6, tied=True, rope_scaling=None, bias=True,
         max_pos=256, specials=QWEN_SPECIALS, seq_lens=[1, 7, 40], dtypes={}),
]


def storage_dtype(m, hf_name):
    """Safetensors dtype per tensor. tiny-llama3-scaled mixes BF16/F16/F32 on purpose."""
    if m["dtypes"] != "scaled":
        return "F32"
    if hf_name == "model.embed_tokens.weight":
        return "BF16"
    if hf_name.startswith("model.layers.0.") and hf_name.endswith("_proj.weight"):
        return "BF16"
    if hf_name.startswith("model.layers.1.mlp."):
        return "F16"
    return "F32"


def to_bf16_bits(x):
    """float32 -> bfloat16 bit patterns, round to nearest even (as torch does)."""
    u = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    u = (u + 0x7FFF + ((u >> 16) & 1)) >> 16
    return u.astype(np.uint16)


def bf16_bits_to_f32(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def make_weights(m, vocab_size):
    """HF-named float32 tensors; values already rounded to the storage dtype."""
    rng = np.random.default_rng(m["seed"])
    h, f = m["hidden"], m["ffn"]
    hd = h // m["heads"]
    w = {}

    def normal(shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    def norm_weight():
        return (1.0 + rng.standard_normal(h) * 0.1).astype(np.float32)

    # Scales chosen so attention scores and logits have a standard deviation of order 1-2:
    # the distributions are far from uniform and far from one-hot.
    w["model.embed_tokens.weight"] = normal((vocab_size, h), 0.3)
    for i in range(m["layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = norm_weight()
        w[p + "self_attn.q_proj.weight"] = normal((m["heads"] * hd, h), 0.15)
        w[p + "self_attn.k_proj.weight"] = normal((m["kv_heads"] * hd, h), 0.15)
        w[p + "self_attn.v_proj.weight"] = normal((m["kv_heads"] * hd, h), 0.15)
        if m["bias"]:
            w[p + "self_attn.q_proj.bias"] = normal((m["heads"] * hd,), 0.3)
            w[p + "self_attn.k_proj.bias"] = normal((m["kv_heads"] * hd,), 0.3)
            w[p + "self_attn.v_proj.bias"] = normal((m["kv_heads"] * hd,), 0.3)
        w[p + "self_attn.o_proj.weight"] = normal((h, m["heads"] * hd), 0.15)
        w[p + "post_attention_layernorm.weight"] = norm_weight()
        w[p + "mlp.gate_proj.weight"] = normal((f, h), 0.15)
        w[p + "mlp.up_proj.weight"] = normal((f, h), 0.15)
        w[p + "mlp.down_proj.weight"] = normal((h, f), 0.1)
    w["model.norm.weight"] = norm_weight()
    if not m["tied"]:
        w["lm_head.weight"] = normal((vocab_size, h), 0.3)

    stored = {}
    for name, x in w.items():
        dt = storage_dtype(m, name)
        if dt == "BF16":
            bits = to_bf16_bits(x)
            stored[name] = (dt, bits)
            w[name] = bf16_bits_to_f32(bits)
        elif dt == "F16":
            half = x.astype(np.float16)
            stored[name] = (dt, half)
            w[name] = half.astype(np.float32)
        else:
            stored[name] = (dt, x)
    return w, stored


# ---------------------------------------------------------------------------------------
# safetensors
# ---------------------------------------------------------------------------------------
def write_safetensors(path, stored):
    header, blobs, offset = {}, [], 0
    for name in sorted(stored):
        dt, arr = stored[name]
        data = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": dt, "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * (-len(hjson) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(hjson)))
        fh.write(hjson)
        for b in blobs:
            fh.write(b)


# ---------------------------------------------------------------------------------------
# GGUF v3
# ---------------------------------------------------------------------------------------
GGUF_UINT32, GGUF_INT32, GGUF_FLOAT32, GGUF_BOOL, GGUF_STRING, GGUF_ARRAY = 4, 5, 6, 7, 8, 9
GGML_TYPE_F32 = 0
ALIGN = 32


def gguf_str(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def gguf_value(vtype, v):
    if vtype == GGUF_UINT32:
        return struct.pack("<I", v)
    if vtype == GGUF_INT32:
        return struct.pack("<i", v)
    if vtype == GGUF_FLOAT32:
        return struct.pack("<f", v)
    if vtype == GGUF_BOOL:
        return struct.pack("<B", 1 if v else 0)
    if vtype == GGUF_STRING:
        return gguf_str(v)
    raise ValueError(vtype)


def write_gguf(path, kvs, tensors):
    """kvs: list of (key, type, value) with type (GGUF_ARRAY, elem_type) for arrays.
    tensors: list of (name, float32 array in numpy (row-major) shape)."""
    out = bytearray()
    out += b"GGUF" + struct.pack("<I", 3) + struct.pack("<Q", len(tensors)) + struct.pack("<Q", len(kvs))
    for key, vtype, v in kvs:
        out += gguf_str(key)
        if isinstance(vtype, tuple):
            etype = vtype[1]
            out += struct.pack("<I", GGUF_ARRAY) + struct.pack("<I", etype) + struct.pack("<Q", len(v))
            for e in v:
                out += gguf_value(etype, e)
        else:
            out += struct.pack("<I", vtype) + gguf_value(vtype, v)
    offset, datas = 0, []
    for name, arr in tensors:
        arr = np.ascontiguousarray(arr, dtype="<f4")
        out += gguf_str(name) + struct.pack("<I", arr.ndim)
        for d in reversed(arr.shape):  # GGUF lists ne[0] (the fastest-varying) first
            out += struct.pack("<Q", d)
        out += struct.pack("<I", GGML_TYPE_F32) + struct.pack("<Q", offset)
        data = arr.tobytes()
        data += b"\0" * (-len(data) % ALIGN)
        datas.append(data)
        offset += len(data)
    out += b"\0" * (-len(out) % ALIGN)
    with open(path, "wb") as fh:
        fh.write(out)
        for d in datas:
            fh.write(d)


def permute_for_llamacpp(w, n_head):
    """convert_hf_to_gguf's LlamaModel.permute: HF's rotate-half row order back to
    interleaved pairs, which llama.cpp's LLAMA_ROPE_TYPE_NORM rotates."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def llama3_rope_factors(m):
    """As convert_hf_to_gguf's LlamaModel.generate_extra_tensors (computed in float32 there)."""
    rs = m["rope_scaling"]
    dim = m["hidden"] // m["heads"]
    freqs = 1.0 / (np.float32(m["rope_theta"]) ** (np.arange(0, dim, 2, dtype=np.float32) / np.float32(dim)))
    factor, lo, hi = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"]
    old = rs["original_max_position_embeddings"]
    lo_wl, hi_wl = old / lo, old / hi
    out = []
    for freq in freqs.astype(np.float32):
        wavelen = np.float32(2 * math.pi) / freq
        if wavelen < hi_wl:
            out.append(1.0)
        elif wavelen > lo_wl:
            out.append(factor)
        else:
            smooth = (np.float32(old) / wavelen - np.float32(lo)) / np.float32(hi - lo)
            out.append(1.0 / ((1 - smooth) / np.float32(factor) + smooth))
    return np.array(out, dtype=np.float32)


def gguf_tensors(m, w):
    pre = {"attn_norm": "input_layernorm.weight", "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj",
           "attn_v": "self_attn.v_proj", "attn_output": "self_attn.o_proj", "ffn_norm": "post_attention_layernorm.weight",
           "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj"}
    t = [("token_embd.weight", w["model.embed_tokens.weight"])]
    if m["rope_scaling"] is not None:
        t.append(("rope_freqs.weight", llama3_rope_factors(m)))
    for i in range(m["layers"]):
        p = f"model.layers.{i}."
        for g, hf in pre.items():
            if hf.endswith(".weight"):
                t.append((f"blk.{i}.{g}.weight", w[p + hf]))
                continue
            x = w[p + hf + ".weight"]
            if m["arch"] == "llama" and g == "attn_q":
                x = permute_for_llamacpp(x, m["heads"])
            if m["arch"] == "llama" and g == "attn_k":
                x = permute_for_llamacpp(x, m["kv_heads"])
            t.append((f"blk.{i}.{g}.weight", x))
            if (p + hf + ".bias") in w:
                t.append((f"blk.{i}.{g}.bias", w[p + hf + ".bias"]))
    t.append(("output_norm.weight", w["model.norm.weight"]))
    if not m["tied"]:
        t.append(("output.weight", w["lm_head.weight"]))
    return t


def gguf_kvs(m, tokens, toktypes, merges, bos, eos, pad):
    a = m["arch"]
    hd = m["hidden"] // m["heads"]
    kv = [
        ("general.architecture", GGUF_STRING, a),
        ("general.type", GGUF_STRING, "model"),
        ("general.name", GGUF_STRING, m["name"]),
        ("general.file_type", GGUF_UINT32, 0),  # LlamaFileType.ALL_F32
        ("general.quantization_version", GGUF_UINT32, 2),
        ("general.alignment", GGUF_UINT32, ALIGN),
        (f"{a}.vocab_size", GGUF_UINT32, len(tokens)),
        (f"{a}.context_length", GGUF_UINT32, m["max_pos"]),
        (f"{a}.embedding_length", GGUF_UINT32, m["hidden"]),
        (f"{a}.block_count", GGUF_UINT32, m["layers"]),
        (f"{a}.feed_forward_length", GGUF_UINT32, m["ffn"]),
        (f"{a}.attention.head_count", GGUF_UINT32, m["heads"]),
        (f"{a}.attention.head_count_kv", GGUF_UINT32, m["kv_heads"]),
        (f"{a}.rope.dimension_count", GGUF_UINT32, hd),
        (f"{a}.rope.freq_base", GGUF_FLOAT32, m["rope_theta"]),
        (f"{a}.attention.layer_norm_rms_epsilon", GGUF_FLOAT32, m["eps"]),
        ("tokenizer.ggml.model", GGUF_STRING, "gpt2"),
        ("tokenizer.ggml.pre", GGUF_STRING, "llama-bpe" if a == "llama" else "qwen2"),
        ("tokenizer.ggml.tokens", (GGUF_ARRAY, GGUF_STRING), tokens),
        ("tokenizer.ggml.token_type", (GGUF_ARRAY, GGUF_INT32), toktypes),
        ("tokenizer.ggml.merges", (GGUF_ARRAY, GGUF_STRING), [x + " " + y for x, y in merges]),
        ("tokenizer.ggml.bos_token_id", GGUF_UINT32, bos),
        ("tokenizer.ggml.eos_token_id", GGUF_UINT32, eos),
        ("tokenizer.ggml.padding_token_id", GGUF_UINT32, pad),
        ("tokenizer.ggml.add_bos_token", GGUF_BOOL, False),
    ]
    return kv


# ---------------------------------------------------------------------------------------
# HF config files (key order and formatting as transformers' save_pretrained writes them)
# ---------------------------------------------------------------------------------------
def hf_config(m, vocab_size, bos, eos):
    hd = m["hidden"] // m["heads"]
    has_low = m["dtypes"] == "scaled"
    common = {
        "attention_dropout": 0.0,
        "bos_token_id": bos,
        "eos_token_id": eos,
        "hidden_act": "silu",
        "hidden_size": m["hidden"],
        "initializer_range": 0.02,
        "intermediate_size": m["ffn"],
        "max_position_embeddings": m["max_pos"],
        "num_attention_heads": m["heads"],
        "num_hidden_layers": m["layers"],
        "num_key_value_heads": m["kv_heads"],
        "rms_norm_eps": m["eps"],
        "rope_scaling": m["rope_scaling"],
        "rope_theta": m["rope_theta"],
        "tie_word_embeddings": m["tied"],
        "torch_dtype": "bfloat16" if has_low else "float32",
        "transformers_version": TRANSFORMERS_VERSION,
        "use_cache": True,
        "vocab_size": vocab_size,
    }
    if m["arch"] == "llama":
        cfg = dict(common, architectures=["LlamaForCausalLM"], model_type="llama", attention_bias=False,
                   head_dim=hd, mlp_bias=False, pretraining_tp=1)
    else:
        cfg = dict(common, architectures=["Qwen2ForCausalLM"], model_type="qwen2",
                   max_window_layers=m["layers"], sliding_window=m["max_pos"], use_sliding_window=False)
    return cfg


def dump_json(path, obj, sort_keys=True):
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(obj, indent=2, sort_keys=sort_keys, ensure_ascii=False) + "\n")


def main():
    vocab, merges = train_bpe(TRAINING_TEXT, N_MERGES_TARGET)
    assert len(vocab) == 256 + N_MERGES_TARGET, (len(vocab), len(merges))
    sequences = {}
    for m in MODELS:
        specials = m["specials"]
        tokens = vocab + specials
        n_vocab = len(tokens)
        ids = {s: len(vocab) + i for i, s in enumerate(specials)}
        if m["arch"] == "llama":
            bos, eos, pad = ids["<|begin_of_text|>"], ids["<|end_of_text|>"], ids["<|end_of_text|>"]
        else:
            bos, eos, pad = ids["<|endoftext|>"], ids["<|im_end|>"], ids["<|endoftext|>"]
        toktypes = [1] * len(vocab) + [3] * len(specials)  # NORMAL, CONTROL

        w, stored = make_weights(m, n_vocab)
        d = HERE / m["name"]
        d.mkdir(exist_ok=True)
        dump_json(d / "config.json", hf_config(m, n_vocab, bos, eos))
        dump_json(d / "generation_config.json", {"_from_model_config": True, "bos_token_id": bos,
                                                 "eos_token_id": eos, "transformers_version": TRANSFORMERS_VERSION})
        write_safetensors(d / "model.safetensors", stored)
        dump_json(d / "tokenizer.json", tokenizer_json(vocab, merges, specials), sort_keys=False)
        dump_json(d / "tokenizer_config.json",
                  tokenizer_config_json([(ids[s], s) for s in specials], tokens[bos], tokens[eos], tokens[pad]))

        (HERE / "gguf").mkdir(exist_ok=True)
        write_gguf(HERE / "gguf" / f"{m['name']}.gguf",
                   gguf_kvs(m, tokens, toktypes, merges, bos, eos, pad), gguf_tensors(m, w))

        # Fixed id sequences: mostly ordinary tokens, the first of the longest starts with BOS.
        srng = np.random.default_rng(m["seed"] + 5000)
        seqs = []
        for n in m["seq_lens"]:
            s = [int(x) for x in srng.integers(0, len(vocab), size=n)]
            seqs.append(s)
        seqs[-1][0] = bos
        sequences[m["name"]] = seqs

    with open(HERE / "sequences.json", "w", newline="\n") as fh:
        fh.write("{\n" + ",\n".join(
            f'  "{k}": [\n' + ",\n".join("    " + json.dumps(s) for s in v) + "\n  ]"
            for k, v in sequences.items()) + "\n}\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the committed seed corpora of the fuzz targets (fuzz/README.md).

safetensors_header/: the headers of the test models (tests/data/models/*/model.safetensors)
  - as they are, with the data cut to 64 bytes (a truncated file: refused), and
  - rewritten with every dimension capped at 2 and the offsets recomputed, with that
    small data section (a valid file), plus metadata, an empty header, a zero-size tensor.
tokenizer_json/: the tiny models' tokenizer.json (byte-level BPE, Llama 3 split) and
  small hand-written ones: WordLevel, byte-level BPE, SentencePiece-style BPE with byte
  fallback, Metaspace, NFC + Replace. Each carries a "fuzz_text" the target encodes.

Deterministic: running it again rewrites the same bytes. Python 3 standard library only.
"""
import json
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODELS = ROOT / "tests" / "data" / "models"
OUT = ROOT / "fuzz" / "corpus"
QWEN2_PATTERN = ("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
                 "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+")
SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


def safetensors(header: dict, data: bytes) -> bytes:
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def shrunk(header: dict) -> tuple[dict, bytes]:
    out, offset = {}, 0
    for name, entry in header.items():
        if name == "__metadata__":
            out[name] = entry
            continue
        shape = [min(d, 2) for d in entry["shape"]]
        size = SIZES[entry["dtype"]]
        for d in shape:
            size *= d
        out[name] = {"dtype": entry["dtype"], "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    return out, bytes(i % 251 for i in range(offset))


def write(folder: str, name: str, content: bytes) -> None:
    path = OUT / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def safetensors_seeds() -> None:
    for model in sorted(p for p in MODELS.iterdir() if (p / "model.safetensors").exists()):
        raw = (model / "model.safetensors").read_bytes()
        length = struct.unpack("<Q", raw[:8])[0]
        write("safetensors_header", f"{model.name}-truncated", raw[: 8 + length + 64])
        header = json.loads(raw[8 : 8 + length])
        small, data = shrunk(header)
        write("safetensors_header", f"{model.name}-small", safetensors(small, data))
    write("safetensors_header", "empty", safetensors({}, b""))
    write("safetensors_header", "metadata-zero-size", safetensors(
        {"__metadata__": {"format": "pt"},
         "a": {"dtype": "BF16", "shape": [2, 0], "data_offsets": [0, 0]},
         "b": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]},
         "c": {"dtype": "BOOL", "shape": [], "data_offsets": [8, 9]}}, bytes(9)))


def byte_fallback_vocab() -> dict:
    vocab = {"<unk>": 0, "\u2581": 1, "h": 2, "i": 3, "hi": 4, "\u2581hi": 5}
    for b in range(256):
        vocab[f"<0x{b:02X}>"] = 6 + b
    return vocab


def tokenizer_seeds() -> None:
    for model in sorted(p for p in MODELS.iterdir() if (p / "tokenizer.json").exists()):
        j = json.loads((model / "tokenizer.json").read_text())
        j["fuzz_text"] = "Hello, world! 123 \u00e9\u4e2d<|eot_id|>"
        write("tokenizer_json", f"{model.name}.json", json.dumps(j, ensure_ascii=False, indent=0).encode())
    seeds = {
        "wordlevel.json": {
            "model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "hello": 1, "world": 2, "!": 3}, "unk_token": "[UNK]"},
            "pre_tokenizer": {"type": "Whitespace"},
            "added_tokens": [{"id": 4, "content": "<eos>", "special": True}],
            "fuzz_text": "hello  world! nope<eos>",
        },
        "bytelevel-bpe.json": {
            "model": {"type": "BPE",
                      "vocab": {"a": 0, "b": 1, "ab": 2, "abab": 3, "\u0120": 4, "\u0120ab": 5},
                      "merges": ["a b", ["ab", "ab"], "\u0120 ab"]},
            "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "use_regex": True},
            "decoder": {"type": "ByteLevel"},
            "added_tokens": [{"id": 6, "content": "<|end|>", "special": True}],
            "fuzz_text": "abab ab<|end|>aba",
        },
        "byte-fallback-bpe.json": {
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "Prepend", "prepend": "\u2581"},
                {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]},
            "pre_tokenizer": None,
            "model": {"type": "BPE", "vocab": byte_fallback_vocab(), "merges": ["h i", "\u2581 hi"],
                      "byte_fallback": True, "unk_token": "<unk>", "fuse_unk": True},
            "decoder": {"type": "Sequence", "decoders": [
                {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
                {"type": "ByteFallback"}, {"type": "Fuse"},
                {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
            "fuzz_text": "hi \u00e9 hi",
        },
        "metaspace-nfc.json": {
            "normalizer": {"type": "NFC"},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": True},
                {"type": "Split", "pattern": {"Regex": QWEN2_PATTERN}, "behavior": "Isolated", "invert": False}]},
            "model": {"type": "BPE", "vocab": {"<unk>": 0, "\u2581": 1, "e": 2, "\u0301": 3, "\u00e9": 4, "\u2581\u00e9": 5},
                      "merges": ["\u2581 \u00e9"], "unk_token": "<unk>", "ignore_merges": True, "dropout": None},
            "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first"},
            "added_tokens": [{"id": 6, "content": "<s>", "special": True, "normalized": False}],
            "fuzz_text": "e\u0301 <s>e\u0301e 12345",
        },
    }
    for name, j in seeds.items():
        write("tokenizer_json", name, json.dumps(j, ensure_ascii=False).encode())


if __name__ == "__main__":
    safetensors_seeds()
    tokenizer_seeds()

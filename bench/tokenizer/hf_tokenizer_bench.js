#!/usr/bin/env node
// node hf_tokenizer_bench.js TOKENIZER DOCS.jsonl [ROUNDS]: the same measurement as
// bench_tokenizer, with HF tokenizers' Rust build (@anush008/tokenizers@0.6.0): each
// document encoded (add_special_tokens=false) and its ids read, one at a time.
'use strict';
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('@anush008/tokenizers');

function load(file) {
  if (path.basename(file) !== 'encoder.json') return Tokenizer.fromFile(file);
  const dir = path.dirname(file);
  const vocab = JSON.parse(fs.readFileSync(file, 'utf8'));
  const merges = fs.readFileSync(path.join(dir, 'vocab.bpe'), 'utf8').split('\n').filter((l, i) => l && !(i === 0 && l.startsWith('#version')));
  return Tokenizer.fromString(JSON.stringify({
    version: '1.0', truncation: null, padding: null,
    added_tokens: [{ id: 50256, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: null, pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null, decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges },
  }));
}

(async () => {
  const [file, docsFile, roundsArg] = process.argv.slice(2);
  const rounds = Number(roundsArg || 3);
  const t0 = process.hrtime.bigint();
  const tok = load(file);
  const loadS = Number(process.hrtime.bigint() - t0) / 1e9;
  const docs = fs.readFileSync(docsFile, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));
  const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d), 0);
  let tokens = 0;
  for (const d of docs) tokens += (await tok.encode(d, null, { addSpecialTokens: false })).getIds().length;
  let timed = 0;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; ++r)
    for (const d of docs) timed += (await tok.encode(d, null, { addSpecialTokens: false })).getIds().length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ impl: 'hf-tokenizers', docs: docs.length, bytes, tokens, load_s: loadS, seconds, tokens_per_s: timed / seconds }));
})();

#!/usr/bin/env node
// Runs Hugging Face's own tokenizers (Rust tokenizers 0.22.2, prebuilt in the npm package
// @anush008/tokenizers@0.6.0) over corpus.jsonl and writes golden/NAME.jsonl: line i holds
// the ids of corpus line i encoded with add_special_tokens=false, and the decoded text
// (decode(ids, skip_special_tokens=false)) as "text", or "same": true when it equals the input,
// and the offsets of the tokens, flattened, in code points of the input.
// Usage (see README.md): node make_golden.js FILES_DIR   (FILES_DIR as written by fetch.sh)
'use strict';
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('@anush008/tokenizers');

const files = process.argv[2];
if (!files) { console.error('usage: make_golden.js FILES_DIR'); process.exit(2); }
const here = __dirname;
const corpus = fs.readFileSync(path.join(here, 'corpus.jsonl'), 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));

// GPT-2's encoder.json + vocab.bpe configured as transformers' GPT2TokenizerFast.
function gpt2Json() {
  const vocab = JSON.parse(fs.readFileSync(path.join(files, 'gpt2/encoder.json'), 'utf8'));
  const merges = fs.readFileSync(path.join(files, 'gpt2/vocab.bpe'), 'utf8').split('\n')
    .filter((l, i) => l && !(i === 0 && l.startsWith('#version')));
  return JSON.stringify({
    version: '1.0', truncation: null, padding: null,
    added_tokens: [{ id: 50256, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '',
      fuse_unk: false, byte_fallback: false, vocab, merges },
  });
}

// Mistral's vocabulary in the newer tokenizer.json form (transformers' LlamaConverter with
// legacy=false): no normaliser, a Metaspace pre-tokenizer; and a variant that splits on
// the metaspace and decodes with the Metaspace decoder. tst_tokenizer_oracle builds the same.
function mistralMetaspace(split) {
  const j = JSON.parse(fs.readFileSync(path.join(files, 'mistral/tokenizer.json'), 'utf8'));
  j.normalizer = null;
  j.pre_tokenizer = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: split ? 'always' : 'first', split };
  if (split)
    j.decoder = { type: 'Sequence', decoders: [{ type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
      { type: 'ByteFallback' }, { type: 'Fuse' }] };
  return JSON.stringify(j);
}

const tokenizers = {
  qwen3: () => Tokenizer.fromFile(path.join(files, 'qwen3/tokenizer.json')),
  llama3_1: () => Tokenizer.fromFile(path.join(files, 'llama3_1/tokenizer.json')),
  mistral: () => Tokenizer.fromFile(path.join(files, 'mistral/tokenizer.json')),
  gpt2: () => Tokenizer.fromString(gpt2Json()),
  mistral_metaspace: () => Tokenizer.fromString(mistralMetaspace(false)),
  mistral_metaspace_split: () => Tokenizer.fromString(mistralMetaspace(true)),
};

(async () => {
  fs.mkdirSync(path.join(here, 'golden'), { recursive: true });
  for (const [name, make] of Object.entries(tokenizers)) {
    const tok = make();
    const lines = [];
    for (const text of corpus) {
      const enc = await tok.encode(text, null, { addSpecialTokens: false });
      const ids = Array.from(enc.getIds());
      const decoded = await tok.decode(ids, false);
      const row = decoded === text ? { ids, same: true } : { ids, text: decoded };
      row.offsets = [].concat(...enc.getOffsets());
      lines.push(JSON.stringify(row));
    }
    fs.writeFileSync(path.join(here, 'golden', name + '.jsonl'), lines.join('\n') + '\n');
    console.log(name, lines.length);
  }
})();

#!/usr/bin/env node
// Writes corpus.jsonl: one JSON string per line, the texts the tokenizer oracle test
// encodes. Deterministic (seeded PRNG); rerun and commit when the pools change:
//   node tests/data/tokenizers/make_corpus.js > tests/data/tokenizers/corpus.jsonl
'use strict';

let seed = 20261126;
function rand() { // mulberry32
  seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const int = (n) => Math.floor(rand() * n);

const words = ('the quick brown fox jumps over lazy dog collaborate assistant user question clarify ' +
  'goal hidden persona reward window sample token model training policy answer document ' +
  'Hello World Paris London NASA GPU JSON HTTP API the of and to in is that it was for on are').split(' ');
const contractions = ["it's", "IT'S", "It'S", "don't", "DON'T", "Don'T", "we're", "WE'RE", "We'Re", "you've",
  "YOU'VE", "I'm", "I'M", "i'M", "they'll", "THEY'LL", "They'Ll", "he'd", "HE'D", "o'clock", "rock'n'roll",
  "'s", "'S", "' s", "''", "'re'", "Mary's", "JAMES'S", "cats'", "'ſ", "l'été", "dell'arte", "can't", "CAN'T"];
const unicode = ['café', 'naïve', 'Straße', 'Ærøskøbing', 'Tiếng Việt có dấu', 'Ελληνικά γράμματα',
  'Русский язык', 'Українська', 'العربية لغة', 'עברית', 'हिन्दी भाषा', 'தமிழ்', 'ภาษาไทย', 'ქართული',
  '한국어 문장입니다', '日本語の文章です。', 'カタカナ', '中文句子，你好世界！', '繁體中文測試', 'Ｆｕｌｌｗｉｄｔｈ',
  'ℌ𝔢𝔩𝔩𝔬 𝕎𝕠𝕣𝕝𝕕', 'ﬁ ligature', '½ ¾ ² ³ Ⅻ ⅷ', '١٢٣ ٤٥٦', '০১২৩', '𝟙𝟚𝟛', 'µ Ω Å K', 'Ⓐⓑⓒ',
  'mixed中文and English', 'Emoji😀inside', 'ÀÉÎÕÜ', 'ǅ ǈ', 'ꙮ', '𐍈𐌰𐌹', 'ʻokina', 'Dž'];
const emoji = ['😀', '👍', '👍🏽', '👋🏿', '👩‍👩‍👧‍👦', '👨‍💻', '🏳️‍🌈', '🏴‍☠️', '❤️', '❤', '🇫🇷', '🇯🇵', '🇺🇸🇨🇦',
  '1️⃣', '#️⃣', '🧑🏾‍🚀', '🤷‍♀️', '🫠', '✨', '🔥🔥🔥', '☺️', '©', '™', '⚡', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'];
const combining = ['a\u0301', 'e\u0300', 'n\u0303', 'A\u030A', 'o\u0308\u0304', 'c\u0327a', 'e\u0301\u0301',
  'x\u0301', '\u0301', 'i\u0307', 'u\u0308ber', 'Cafe\u0301', '\u1100\u1161\u11A8', '\u1112\u1161\u11AB\u1100\u1173\u11AF',
  'q\u0323\u0307', 'a\u20DD', 'ﬀ', 'Ω', '\u212B', '\u0958', 'e\u0301 a\u0301 o\u0301'];
const numbers = ['0', '7', '42', '123', '1234', '12345', '1234567890', '3.14159', '1,000,000', '-17', '+33 1 23 45 67 89',
  '2026-11-26', '12:30:45', '0x1F', '1e-9', '99.9%', '$1,299.99', '€5', 'v1.2.3', 'abc123def', 'A1B2C3', '٣٤٥', '１２３',
  '00000', '31337', 'x²+y²=z²', '10^6', '3/4', '1st 2nd 3rd 4th'];
const spaces = [' ', '  ', '   ', '    ', '\t', '\t\t', ' \t ', '\n', '\n\n', '\r\n', ' \n', '\n ', '\n\n\n', '  \n  ',
  '\u00A0', '\u3000', '\u2003', '\u200B', '\u2028', '\u0085', '\v', '\f', '\r', ' \r\n\t '];
const specials = ['<|im_start|>', '<|im_end|>', '<|endoftext|>', '<|begin_of_text|>', '<|end_of_text|>',
  '<|start_header_id|>', '<|end_header_id|>', '<|eot_id|>', '<s>', '</s>', '<unk>', '<think>', '</think>',
  '<tool_call>', '<|fim_prefix|>', '<|im_end', 'im_end|>', '<|reserved_special_token_5|>', '< s>', '<|IM_END|>'];
const punct = ['.', ',', '!', '?', '...', '—', '–', '-', '--', '(', ')', '[]', '{}', '"', "'", '“quoted”', '«guillemets»',
  '::', '->', '=>', '!=', '&&', '||', '/*', '*/', '//', '#', '@user', '~', '`', '```', '\\', '|', '¿', '¡', '、', '。', '…'];
const code = [
  'def add(a, b):\n    return a + b\n',
  'for (int i = 0; i < n; ++i) {\n\tsum += v[i];\n}\n',
  '#include <vector>\nint main() { return 0; }\n',
  '{"name": "collab", "version": "0.1.0", "tags": ["llm", "rl"]}',
  '<div class="row">\n  <span>Hi &amp; bye</span>\n</div>',
  'SELECT id, name FROM users WHERE age >= 18 ORDER BY name;',
  'const f = async (x) => { await g(x ?? 0); };',
  '    if x:\n        y = [i**2 for i in range(10)]\n',
  'fn main() { println!("{}", 1_000_000u64); }',
  'git commit -m "fix: handle \\r\\n"  # comment',
  '$ ./run.sh --flag=value 2>&1 | tee log.txt',
  'x = {\'a\': 1, "b": [1, 2, 3]}\nprint(x)\n',
  'matrix[i][j] += alpha * A[i][k] * B[k][j];',
  '  \t  indented\twith\ttabs  \n\n\treturn;',
];

function sentence() {
  const n = 3 + int(12);
  const parts = [];
  for (let i = 0; i < n; ++i) {
    const r = rand();
    if (r < 0.55) parts.push(pick(words));
    else if (r < 0.65) parts.push(pick(contractions));
    else if (r < 0.72) parts.push(pick(numbers));
    else if (r < 0.80) parts.push(pick(unicode));
    else if (r < 0.86) parts.push(pick(emoji));
    else if (r < 0.90) parts.push(pick(combining));
    else if (r < 0.96) parts.push(pick(punct));
    else parts.push(pick(specials));
  }
  let s = '';
  for (const p of parts) s += (s && rand() < 0.85 ? (rand() < 0.9 ? ' ' : pick(spaces)) : '') + p;
  return s;
}

function mix(n) {
  const pools = [words, contractions, unicode, emoji, combining, numbers, spaces, specials, punct];
  let s = '';
  for (let i = 0; i < n; ++i) s += pick(pick(pools));
  return s;
}

function document(paragraphs) {
  const out = [];
  for (let p = 0; p < paragraphs; ++p) {
    const lines = [];
    const k = 2 + int(6);
    for (let i = 0; i < k; ++i) lines.push(rand() < 0.15 ? pick(code) : sentence() + pick(['.', '!', '?', ':']));
    out.push(lines.join(rand() < 0.5 ? ' ' : '\n'));
  }
  return out.join(pick(['\n\n', '\n', '\r\n\r\n', '\n\n\n']));
}

const corpus = ['', ' ', 'a', 'A', '\n', '\t', '  ', 'Hello world', 'hello  world', 'Hello, World!'];
for (const pool of [words, contractions, unicode, emoji, combining, numbers, spaces, specials, punct, code])
  for (const x of pool) corpus.push(x);
for (const x of contractions) corpus.push('Tell me ' + x + ' now');
for (const x of numbers) corpus.push('Total: ' + x + ' units');
for (const x of spaces) corpus.push('a' + x + 'b', x + 'lead', 'trail' + x, 'x' + x + x + '!');
for (const x of specials) corpus.push('Hello' + x + 'world', 'user: hi ' + x + ' there\n' + x);
corpus.push('<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n');
corpus.push('<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi!<|eot_id|>');
corpus.push('<s>[INST] What is your name? [/INST] I am a model.</s>');
while (corpus.length < 1800) corpus.push(rand() < 0.75 ? sentence() : mix(1 + int(20)));
while (corpus.length < 2150) corpus.push(document(1 + int(3)));
for (let i = 0; i < 6; ++i) corpus.push(document(25 + int(25)));

// Short strings over a tiny alphabet: every corner of the split patterns (whitespace
// before letters and line breaks, apostrophes, digits, lone marks) in few characters.
const tiny = [' ', ' ', '\n', '\r', '\t', 'a', 'B', '1', '.', "'", 's', 'S', 'é', 'e\u0301', '\u00A0', '中', '😀', '<', '>', '|'];
for (let i = 0; i < 300; ++i) {
  let s = '';
  const n = 1 + int(12);
  for (let k = 0; k < n; ++k) s += pick(tiny);
  corpus.push(s);
}
// Random code points from long-assigned blocks of many scripts, marks, digits of other
// scripts, symbols, emoji pieces (ZWJ, VS16, skin tones, regional indicators), spaces.
const blocks = [[0x20, 0x7E], [0xA0, 0xFF], [0x100, 0x24F], [0x300, 0x36F], [0x370, 0x3FF], [0x400, 0x4FF],
  [0x590, 0x5FF], [0x600, 0x6FF], [0x900, 0x97F], [0x9E6, 0x9EF], [0xE00, 0xE5B], [0x1100, 0x11FF], [0x2000, 0x206F],
  [0x2070, 0x209C], [0x20A0, 0x20BF], [0x2150, 0x218B], [0x2190, 0x23FF], [0x2460, 0x24FF], [0x3000, 0x303F],
  [0x3040, 0x30FF], [0x4E00, 0x9FFF], [0xAC00, 0xD7A3], [0xFF01, 0xFF5E], [0x1F300, 0x1F64F], [0x1F1E6, 0x1F1FF],
  [0x1F3FB, 0x1F3FF], [0x200D, 0x200D], [0xFE0F, 0xFE0F], [0x1D400, 0x1D7FF]];
for (let i = 0; i < 300; ++i) {
  let s = '';
  const n = 1 + int(25);
  for (let k = 0; k < n; ++k) {
    const [lo, hi] = pick(blocks);
    s += String.fromCodePoint(lo + int(hi - lo + 1));
  }
  corpus.push(s);
}

for (const s of corpus) process.stdout.write(JSON.stringify(s) + '\n');

#!/usr/bin/python3
"""Golden BLEU values from NLTK (Debian python3-nltk 3.8), the function CollabLLM calls.

Writes nltk-sentence-bleu.jsonl: one case per line,
  {"kind": "char", "reference": str, "hypothesis": str, "bleu": float}
    = sentence_bleu([reference], hypothesis) on raw strings (character BLEU-4), and
  {"kind": "word", "references": [str], "hypothesis": str, "bleu": float}
    = sentence_bleu([r.split() for r in references], hypothesis.split()).
Run: /usr/bin/python3 tests/data/bleu/make_golden.py > tests/data/bleu/nltk-sentence-bleu.jsonl
"""
import json
import random
import warnings

from nltk.translate.bleu_score import sentence_bleu

warnings.simplefilter("ignore")  # NLTK warns on every missing n-gram order
rng = random.Random(1234)

BASE = [
    "The quick brown fox jumps over the lazy dog.",
    "Hi backend team! Starting March 3 we're moving to a weekly on-call rotation.",
    "Dear Dr. Okafor,\n\nThank you for your talk at NLP Days 2026.",
    "def parse_duration(text: str) -> int:\n    return 0",
    "東京は日本の首都です。人口は約1400万人です。",
    "Crème brûlée, naïve café, façade — déjà vu.",
    "Emoji 👩‍👩‍👧 and flags 🇫🇷🇯🇵 in text",
    "a", "ab", "abc", "abcd", "", " ", "aaaa aaaa aaaa",
    "The payment is 547.59 per month over 36 months at 6% a year.",
]

def mutate(text):
    chars = list(text)
    for _ in range(rng.randint(0, max(1, len(chars) // 5))):
        op = rng.choice("dis")
        if op == "d" and chars:
            del chars[rng.randrange(len(chars))]
        elif op == "i":
            chars.insert(rng.randint(0, len(chars)), rng.choice("aeiou xyz.,éü字"))
        elif chars:
            i = rng.randrange(len(chars))
            j = rng.randrange(len(chars))
            chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)

def char_case(reference, hypothesis):
    return {"kind": "char", "reference": reference, "hypothesis": hypothesis,
            "bleu": sentence_bleu([reference], hypothesis)}

cases = []
for ref in BASE:
    cases.append(char_case(ref, ref))
    for _ in range(12):
        cases.append(char_case(ref, mutate(ref)))
    cases.append(char_case(ref, ref[: len(ref) // 2]))
    cases.append(char_case(ref, ref + " and some more text at the end"))
    cases.append(char_case(ref, rng.choice(BASE)))
for _ in range(60):
    words = " ".join(w for _ in range(rng.randint(1, 4)) for w in rng.choice(BASE).split()[:rng.randint(1, 8)])
    refs = [mutate(words), words, mutate(mutate(words))][: rng.randint(1, 3)]
    hyp = mutate(words)
    cases.append({"kind": "word", "references": refs, "hypothesis": hyp,
                  "bleu": sentence_bleu([r.split() for r in refs], hyp.split())})

for case in cases:
    print(json.dumps(case, ensure_ascii=False))

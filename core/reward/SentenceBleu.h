#pragma once

#include <string>
#include <vector>

namespace collab::reward {

// BLEU of one hypothesis against its references, computed exactly as NLTK 3.8's
// `sentence_bleu(references, hypothesis)` with its defaults: up to 4-grams with equal
// weights, clipped counts against the most generous reference, the brevity penalty
// from the closest reference length, no smoothing (a missing n-gram order counts as
// the smallest positive double, as NLTK's method0 does), 0 when no unigram matches.
// Tokens are code points here: words map to ids by the caller.
double sentenceBleu(const std::vector<std::u32string>& references, const std::u32string& hypothesis);

// Character-level BLEU-4 of two texts, which is what CollabLLM's document metric gets by
// calling `sentence_bleu([reference], hypothesis)` on raw Python strings.
double charBleu(const std::string& referenceUtf8, const std::string& hypothesisUtf8);

} // namespace collab::reward

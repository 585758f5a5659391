#include "model/Transformer.h"

#include "model/LayerRecomputation.h"
#include "model/Rope.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/version.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace collab::model {

RmsNormImpl::RmsNormImpl(std::int64_t size, double eps) : eps_(eps) {
  weight = register_parameter("weight", at::ones({size}));
}

at::Tensor RmsNormImpl::forward(const at::Tensor& x) {
  // In float32 whatever the compute dtype, then back, as HF's LlamaRMSNorm does.
  const at::Tensor x32 = x.to(at::kFloat);
  const at::Tensor normalised = x32 * at::rsqrt(x32.pow(2).mean(-1, true) + eps_);
  return weight * normalised.to(x.scalar_type());
}

AttentionImpl::AttentionImpl(const ModelConfig& c)
    : heads_(c.heads), kvHeads_(c.kvHeads), headDim_(c.headDim) {
  q_proj = register_module("q_proj", std::make_shared<ProjectionImpl>(c.hiddenSize, c.heads * c.headDim, c.qkvBias));
  k_proj = register_module("k_proj", std::make_shared<ProjectionImpl>(c.hiddenSize, c.kvHeads * c.headDim, c.qkvBias));
  v_proj = register_module("v_proj", std::make_shared<ProjectionImpl>(c.hiddenSize, c.kvHeads * c.headDim, c.qkvBias));
  o_proj = register_module("o_proj", std::make_shared<ProjectionImpl>(c.heads * c.headDim, c.hiddenSize, c.outputBias));
}

namespace {

// softmax(q kᵀ / √d + mask) v with keys and values shared by groups of query heads:
// q [B, H, T, d], k and v [B, kv, S, d], allowed [B or 1, 1, T, S] or undefined.
//
// Grouped-query attention without copying the cache: query head h uses kv head h / groups
// (HF's repeat_kv order), so the queries are viewed as [B, kv, groups·T, d] (head h =
// kv·groups + g, row g·T + t) and attend to the kv heads as they are. The mask is the same
// for every head of a group, so it is broadcast over the groups, not copied per head.
#if TORCH_VERSION_MAJOR < 2
constexpr std::int64_t kSmallProduct = 16384; // products per (row, kv head) below which bmm's calls dominate
#endif

at::Tensor attend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& allowed) {
  const std::int64_t batch = q.size(0), heads = q.size(1), steps = q.size(2), dim = q.size(3);
  const std::int64_t kvHeads = k.size(1), keys = k.size(2);
  const std::int64_t groups = heads / kvHeads;
  const at::Tensor folded = groups > 1 ? q.reshape({batch, kvHeads, groups * steps, dim}) : q;
#if TORCH_VERSION_MAJOR >= 2
  // Two calls rather than one optional mask: the optional's spelling moved from c10 to std
  // across LibTorch 2's releases, a Tensor converts to either.
  at::Tensor out;
  if (allowed.defined()) {
    const at::Tensor mask = groups > 1 ? allowed.unsqueeze(2)
                                             .expand({allowed.size(0), 1, groups, steps, keys})
                                             .reshape({allowed.size(0), 1, groups * steps, keys})
                                       : allowed;
    out = at::scaled_dot_product_attention(folded, k, v, mask);
  } else {
    out = at::scaled_dot_product_attention(folded, k, v);
  }
#else
  // A decoding step of short sequences: each (row, kv head) product is a few thousand
  // multiply-adds, less than the BLAS call that bmm makes for it, so broadcast instead.
  const bool small = steps == 1 && groups * keys * dim <= kSmallProduct;
  at::Tensor scores = small ? (folded.unsqueeze(3) * k.unsqueeze(2)).sum(-1) : at::matmul(folded, k.transpose(-2, -1));
  scores = scores * (1.0 / std::sqrt(static_cast<double>(dim)));
  if (allowed.defined()) {
    // scores [B, kv, groups·T, S] seen as [B, kv, groups, T, S]; allowed [B, 1, 1, T, S].
    const at::Tensor blocked = allowed.logical_not().unsqueeze(2);
    scores = scores.view({batch, kvHeads, groups, steps, keys})
                 .masked_fill(blocked, -std::numeric_limits<float>::infinity())
                 .view({batch, kvHeads, groups * steps, keys});
  }
  const at::Tensor weights = at::softmax(scores, -1, at::kFloat).to(q.scalar_type());
  const at::Tensor out = small ? (weights.unsqueeze(-1) * v.unsqueeze(2)).sum(-2) : at::matmul(weights, v);
#endif
  return groups > 1 ? out.reshape({batch, heads, steps, dim}) : out;
}

} // namespace

at::Tensor Packing::pack(const at::Tensor& laidOut) const {
  return laidOut.reshape({batch * steps, laidOut.size(-1)}).index_select(0, index);
}

at::Tensor Packing::layOut(const at::Tensor& packed) const {
  return at::zeros({batch * steps, packed.size(-1)}, packed.options()).index_copy(0, index, packed).view({batch, steps, -1});
}

at::Tensor AttentionImpl::forward(const at::Tensor& x, const RotaryTables& rotary, const at::Tensor& allowed,
                                  KvCache* cache, std::size_t layer, const Packing* packing) {
  const std::int64_t batch = packing ? packing->batch : x.size(0), steps = packing ? packing->steps : x.size(1);
  auto heads = [&](const at::Tensor& t, std::int64_t n) {
    // Padding gets zero queries, keys and values: masked keys, outputs nobody reads.
    return (packing ? packing->layOut(t) : t).view({batch, steps, n, headDim_}).transpose(1, 2);
  };
  const at::Tensor q = applyRotary(heads(q_proj->forward(x), heads_), rotary);
  at::Tensor k = applyRotary(heads(k_proj->forward(x), kvHeads_), rotary);
  at::Tensor v = heads(v_proj->forward(x), kvHeads_);
  if (cache) std::tie(k, v) = cache->append(layer, k, v);
  const at::Tensor out = attend(q, k, v, allowed).transpose(1, 2).reshape({batch, steps, heads_ * headDim_});
  return o_proj->forward(packing ? packing->pack(out) : out);
}

MlpImpl::MlpImpl(const ModelConfig& c) {
  gate_proj = register_module("gate_proj", std::make_shared<ProjectionImpl>(c.hiddenSize, c.intermediateSize, c.mlpBias));
  up_proj = register_module("up_proj", std::make_shared<ProjectionImpl>(c.hiddenSize, c.intermediateSize, c.mlpBias));
  down_proj = register_module("down_proj", std::make_shared<ProjectionImpl>(c.intermediateSize, c.hiddenSize, c.mlpBias));
}

at::Tensor MlpImpl::forward(const at::Tensor& x) {
  return down_proj->forward(at::silu(gate_proj->forward(x)) * up_proj->forward(x));
}

DecoderLayerImpl::DecoderLayerImpl(const ModelConfig& c) {
  input_layernorm = register_module("input_layernorm", std::make_shared<RmsNormImpl>(c.hiddenSize, c.rmsNormEps));
  self_attn = register_module("self_attn", std::make_shared<AttentionImpl>(c));
  post_attention_layernorm =
      register_module("post_attention_layernorm", std::make_shared<RmsNormImpl>(c.hiddenSize, c.rmsNormEps));
  mlp = register_module("mlp", std::make_shared<MlpImpl>(c));
}

at::Tensor DecoderLayerImpl::forward(const at::Tensor& x, const RotaryTables& rotary, const at::Tensor& allowed,
                                     KvCache* cache, std::size_t layer, const Packing* packing) {
  const at::Tensor h = x + self_attn->forward(input_layernorm->forward(x), rotary, allowed, cache, layer, packing);
  return h + mlp->forward(post_attention_layernorm->forward(h));
}

DecoderImpl::DecoderImpl(const ModelConfig& c) {
  embed_tokens = register_module("embed_tokens", std::make_shared<WeightImpl>(at::empty({c.vocabSize, c.hiddenSize})));
  auto list = register_module("layers", torch::nn::ModuleList());
  for (std::int64_t i = 0; i < c.layers; ++i) {
    layers.push_back(std::make_shared<DecoderLayerImpl>(c));
    list->push_back(layers.back());
  }
  norm = register_module("norm", std::make_shared<RmsNormImpl>(c.hiddenSize, c.rmsNormEps));
}

CausalLmImpl::CausalLmImpl(ModelConfig config, Weights weights) : config_(std::move(config)) {
  model = register_module("model", std::make_shared<DecoderImpl>(config_));
  if (!config_.tieEmbeddings)
    lm_head = register_module("lm_head", std::make_shared<WeightImpl>(at::empty({config_.vocabSize, config_.hiddenSize})));
  inverseFrequencies_ = ropeInverseFrequencies(config_);
  if (weights == Weights::Random) initialiseRandomly(0);
}

namespace {

// Which keys each query may see: causal over cache + new tokens, and only real tokens.
// A query whose every key is padding (a pad position itself) still sees its own key,
// so that no softmax row is empty (its output is never used).
at::Tensor allowedKeys(const ForwardBatch& batch, std::int64_t cached, std::int64_t steps, at::Device device) {
  // One new token comes after every cached key, so causality holds by itself: the key mask
  // decides. A decoding step of a padded batch takes this path.
  if (steps == 1 && batch.keyMask.defined()) {
    at::Tensor real = batch.keyMask.to(device).to(at::kBool).clone();
    real.select(1, cached).fill_(true); // a pad query still sees its own key
    return real.unsqueeze(1).unsqueeze(1);
  }
  const std::int64_t total = cached + steps;
  const auto longs = at::TensorOptions().dtype(at::kLong).device(device);
  const at::Tensor queryAt = at::arange(cached, total, longs).unsqueeze(1); // [T, 1]
  const at::Tensor keyAt = at::arange(0, total, longs).unsqueeze(0);        // [1, S]
  at::Tensor allowed = keyAt.le(queryAt).unsqueeze(0).unsqueeze(0);         // [1, 1, T, S]
  if (batch.keyMask.defined()) {
    const at::Tensor real = batch.keyMask.to(device).to(at::kBool).unsqueeze(1).unsqueeze(1); // [B, 1, 1, S]
    allowed = at::logical_or(at::logical_and(allowed, real), keyAt.eq(queryAt).unsqueeze(0).unsqueeze(0));
  }
  return allowed;
}

// Packs the real positions of a prefill into a cache when padding is at least a quarter
// of the block (below that the extra copies cost about what they save). Training (no cache)
// keeps its layout: its batches are its own business.
std::optional<Packing> packingFor(const ForwardBatch& batch, const KvCache* cache, std::int64_t cached,
                                  std::int64_t steps, at::Device device) {
  if (!cache || steps == 1 || !batch.keyMask.defined()) return std::nullopt;
  const std::int64_t rows = batch.ids.size(0);
  const at::Tensor index = batch.keyMask.narrow(1, cached, steps).to(device).to(at::kBool).reshape({-1}).nonzero().squeeze(1);
  if (4 * index.size(0) > 3 * rows * steps) return std::nullopt;
  return Packing{index, rows, steps};
}

} // namespace

at::Tensor CausalLmImpl::forward(const ForwardBatch& batch, KvCache* cache) {
  const std::int64_t size = batch.ids.size(0), steps = batch.ids.size(1);
  const std::int64_t cached = cache ? cache->length() : 0;
  const at::Device device = model->embed_tokens->weight.device();
  at::Tensor positions = batch.positions;
  if (!positions.defined())
    positions = at::arange(cached, cached + steps, at::TensorOptions().dtype(at::kLong).device(device))
                    .unsqueeze(0)
                    .expand({size, steps});
  at::Tensor hidden = at::embedding(model->embed_tokens->weight, batch.ids.to(device));
  const RotaryTables rotary = rotaryTables(inverseFrequencies_, positions.to(device), hidden.scalar_type());
  // A single new token with no padding may see the whole cache: no mask needed.
  const bool needsMask = steps > 1 || batch.keyMask.defined();
  const at::Tensor allowed = needsMask ? allowedKeys(batch, cached, steps, device) : at::Tensor();
  const bool recompute = gradientCheckpointing_ && is_training() && !cache && at::GradMode::is_enabled();
  // A recomputed layer passes gradients on only through its input: with frozen embeddings
  // (LoRA) the input must ask for one, or the adapters would get none (transformers'
  // enable_input_require_grads).
  if (recompute && !hidden.requires_grad()) hidden = hidden.detach().requires_grad_(true);
  // Packing applies to prefills into a cache only, so never to a recomputed (training) pass.
  const std::optional<Packing> packing = packingFor(batch, cache, cached, steps, device);
  if (packing) hidden = packing->pack(hidden);
  for (std::size_t i = 0; i < model->layers.size(); ++i)
    hidden = recompute ? recomputedLayer(*model->layers[i], hidden, rotary, allowed)
                       : model->layers[i]->forward(hidden, rotary, allowed, cache, i, packing ? &*packing : nullptr);
  if (cache) cache->advance(steps);
  hidden = model->norm->forward(hidden);
  return packing ? packing->layOut(hidden) : hidden;
}

const at::Tensor& CausalLmImpl::outputWeight() const {
  return lm_head ? lm_head->weight : model->embed_tokens->weight;
}

at::Tensor CausalLmImpl::logits(const at::Tensor& hidden) {
  at::Tensor out = packedOutput_->forward(hidden, outputWeight(), {}); // inference on CPU, where XNNPACK is faster
  if (!out.defined()) out = at::linear(hidden, outputWeight());
  return out.to(at::kFloat);
}

void CausalLmImpl::initialiseRandomly(std::uint64_t seed) {
  at::NoGradGuard noGrad;
  auto generator = at::detail::createCPUGenerator(seed);
  for (auto& item : named_parameters()) {
    at::Tensor& p = item.value();
    const std::string& name = item.key();
    at::Tensor values;
    if (name.ends_with("norm.weight")) values = at::ones(p.sizes());
    else if (name.ends_with(".bias") || name.find("lora_B") != std::string::npos) values = at::zeros(p.sizes());
    else values = at::normal(0.0, config_.initializerRange, p.sizes(), generator);
    p.copy_(values);
  }
}

std::vector<std::pair<std::string, Projection>> CausalLmImpl::projections() {
  std::vector<std::pair<std::string, Projection>> all;
  for (auto& layer : model->layers) {
    auto& a = layer->self_attn;
    auto& m = layer->mlp;
    all.insert(all.end(), {{"q_proj", a->q_proj}, {"k_proj", a->k_proj}, {"v_proj", a->v_proj}, {"o_proj", a->o_proj},
                           {"gate_proj", m->gate_proj}, {"up_proj", m->up_proj}, {"down_proj", m->down_proj}});
  }
  return all;
}

void CausalLmImpl::addLoraAdapters(std::int64_t rank, double alpha, double dropout,
                                   const std::vector<std::string>& targets) {
  // Everything else is frozen too: only the adapters train.
  for (auto& p : parameters()) p.set_requires_grad(false);
  for (auto& [name, projection] : projections())
    if (std::find(targets.begin(), targets.end(), name) != targets.end())
      projection->addAdapter(rank, alpha, dropout);
}

void CausalLmImpl::mergeLoraAdapters() {
  for (auto& [name, projection] : projections()) projection->mergeAdapter();
  for (auto& p : parameters()) p.set_requires_grad(true);
}

void CausalLmImpl::setLoraEnabled(bool enabled) {
  for (auto& [name, projection] : projections()) projection->setAdapterEnabled(enabled);
}

bool CausalLmImpl::hasLora() const {
  for (auto& [name, projection] : const_cast<CausalLmImpl*>(this)->projections())
    if (projection->hasAdapter()) return true;
  return false;
}

} // namespace collab::model

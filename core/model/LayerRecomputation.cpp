#include "model/LayerRecomputation.h"

#include "model/Autocast.h"
#include "model/Transformer.h"

#include <ATen/autocast_mode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>

#include <cstdint>
#include <mutex>

namespace collab::model {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The device's default generator set to `state` while it lives, then back where it was:
// the recomputation draws what the forward pass drew, and later draws are not disturbed.
class RewoundRandomness {
public:
  RewoundRandomness(at::Device device, const at::Tensor& state)
      : generator_(at::globalContext().defaultGenerator(device)) {
    std::lock_guard<std::mutex> lock(generator_.mutex());
    now_ = generator_.get_state();
    generator_.set_state(state);
  }
  ~RewoundRandomness() {
    std::lock_guard<std::mutex> lock(generator_.mutex());
    generator_.set_state(now_);
  }
  RewoundRandomness(const RewoundRandomness&) = delete;
  RewoundRandomness& operator=(const RewoundRandomness&) = delete;

private:
  at::Generator generator_;
  at::Tensor now_;
};

// Autocast's cache of cast weights off while it lives. The forward pass runs without grad,
// so its cast copies of the weights have no graph back to them: cached, they would be
// what a recomputation in the same autocast scope (a backward inside it) reads, and the
// weights would get no gradient.
class UncachedCasts {
public:
  UncachedCasts() : was_(at::autocast::is_autocast_cache_enabled()) { at::autocast::set_autocast_cache_enabled(false); }
  ~UncachedCasts() { at::autocast::set_autocast_cache_enabled(was_); }
  UncachedCasts(const UncachedCasts&) = delete;
  UncachedCasts& operator=(const UncachedCasts&) = delete;

private:
  bool was_;
};

at::Tensor randomStateOf(at::Device device) {
  at::Generator generator = at::globalContext().defaultGenerator(device);
  std::lock_guard<std::mutex> lock(generator.mutex());
  return generator.get_state();
}

class RecomputedLayer : public torch::autograd::Function<RecomputedLayer> {
public:
  // `layer` travels as an integer: saved_data holds IValues, which hold no raw pointers.
  // The layer outlives the graph (the model owns it and is training).
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin,
                            const at::Tensor& allowed, std::int64_t layer) {
    ctx->save_for_backward({x});
    ctx->saved_data["cos"] = cos;
    ctx->saved_data["sin"] = sin;
    ctx->saved_data["has_allowed"] = allowed.defined();
    if (allowed.defined()) ctx->saved_data["allowed"] = allowed;
    ctx->saved_data["layer"] = layer;
    ctx->saved_data["random"] = randomStateOf(x.device());
    // The recomputation runs under the autocast this pass runs under (or none): else it
    // would compute other activations than the ones the loss saw. Backward may run on
    // another thread (a GPU's autograd thread) or outside the forward's autocast scope.
    const AutocastSettings autocast = autocastOf(x.device().type());
    ctx->saved_data["autocast"] = autocast.enabled;
    ctx->saved_data["autocast_dtype"] = static_cast<std::int64_t>(autocast.dtype);
    // Function::apply runs this without grad: no activation of the layer is kept.
    const UncachedCasts uncached;
    return layerAt(layer).forward(x, {cos, sin}, allowed, nullptr, 0);
  }

  static variable_list backward(AutogradContext* ctx, variable_list outputGrads) {
    const at::Tensor saved = ctx->get_saved_variables()[0];
    const at::Tensor allowed = ctx->saved_data["has_allowed"].toBool() ? ctx->saved_data["allowed"].toTensor() : at::Tensor();
    const RotaryTables rotary{ctx->saved_data["cos"].toTensor(), ctx->saved_data["sin"].toTensor()};
    at::Tensor input = saved.detach().requires_grad_(saved.requires_grad());
    at::Tensor output;
    {
      at::AutoGradMode withGrad(true);
      RewoundRandomness rewound(saved.device(), ctx->saved_data["random"].toTensor());
      const Autocast autocast({ctx->saved_data["autocast"].toBool(), saved.device().type(),
                               static_cast<at::ScalarType>(ctx->saved_data["autocast_dtype"].toInt())});
      output = layerAt(ctx->saved_data["layer"].toInt()).forward(input, rotary, allowed, nullptr, 0);
    }
    torch::autograd::backward({output}, {outputGrads[0]});
    return {input.requires_grad() ? input.grad() : at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
  }

private:
  static DecoderLayerImpl& layerAt(std::int64_t address) {
    return *reinterpret_cast<DecoderLayerImpl*>(static_cast<std::intptr_t>(address));
  }
};

} // namespace

at::Tensor recomputedLayer(DecoderLayerImpl& layer, const at::Tensor& x, const RotaryTables& rotary,
                           const at::Tensor& allowed) {
  return RecomputedLayer::apply(x, rotary.cos, rotary.sin, allowed,
                                static_cast<std::int64_t>(reinterpret_cast<std::intptr_t>(&layer)));
}

} // namespace collab::model

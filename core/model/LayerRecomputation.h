#pragma once

#include "model/Rope.h"

#include <ATen/ATen.h>

namespace collab::model {

class DecoderLayerImpl;

// Activation checkpointing (TRL's and transformers' gradient_checkpointing) of one decoder
// layer: the forward pass keeps only the layer's input, and the backward pass runs the
// layer again, with grad, to get its gradients. Memory for activations falls from all
// layers' to one layer's at a time, for about one more forward pass of compute.
//
// torch.utils.checkpoint is Python; this is its reentrant form as a C++ autograd
// Function: backward recomputes the layer on a detached copy of the input and runs a
// nested backward through it, which adds the parameters' gradients to their .grad and
// returns the input's. The random state (LoRA dropout) is rewound for the recomputation,
// so it draws what the forward drew, and so is autocast (on to the forward's dtype, or off),
// so it computes what the forward computed. For training without a KV cache.
at::Tensor recomputedLayer(DecoderLayerImpl& layer, const at::Tensor& x, const RotaryTables& rotary,
                           const at::Tensor& allowed);

} // namespace collab::model

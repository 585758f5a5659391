"""The peer of bench_gpu decode: the same Qwen2.5-0.5B-shaped config with random weights,
bf16 on CUDA, greedy decoding of 256 tokens after a 32-token prompt with transformers'
generate() (PyTorch eager, KV cache). Prints one JSON object."""
import json, time

import torch
from transformers import Qwen2Config, Qwen2ForCausalLM

config = Qwen2Config(vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                     num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=32768,
                     rope_theta=1e6, tie_word_embeddings=True)
model = Qwen2ForCausalLM(config).to("cuda", torch.bfloat16).eval()
prompt = torch.tensor([[100 + 7 * i for i in range(32)]], device="cuda")
with torch.inference_mode():
    model.generate(prompt, max_new_tokens=16, min_new_tokens=16, do_sample=False)
    torch.cuda.synchronize()
    start = time.perf_counter()
    out = model.generate(prompt, max_new_tokens=256, min_new_tokens=256, do_sample=False)
    torch.cuda.synchronize()
    seconds = time.perf_counter() - start
new = out.shape[1] - prompt.shape[1]
print(json.dumps({"phase": "decode", "peer": "transformers generate (eager)", "new_tokens": new,
                  "seconds": seconds, "tokens_per_second": new / seconds}))

"""Checks our model code against Hugging Face transformers (and PEFT), where installed.

1. Our tiny fixtures (tests/data/models/*) loaded by transformers give the llama.cpp
   golden log-probabilities our C++ test matches (so the three agree).
2. A LoRA adapter written by our C++ (bench_gpu lora-export) loads with PEFT onto the
   base model and gives our log-probabilities; the merged checkpoint we wrote loads with
   transformers and gives them too.
Usage: python3 check_transformers.py REPO_ROOT EXPORT_DIR
"""
import json, os, struct, sys

import torch

root, export = sys.argv[1], sys.argv[2]
try:
    import transformers
except ImportError:
    print(json.dumps({"check": "transformers", "skipped": "transformers is not installed"}))
    sys.exit(0)
from transformers import AutoModelForCausalLM


def read_f32(path):
    data = open(path, "rb").read()
    return torch.tensor(struct.unpack("<%df" % (len(data) // 4), data))


def logprobs(model, ids):
    with torch.no_grad():
        out = model(torch.tensor([ids])).logits[0].double()
    return torch.log_softmax(out, -1)


def max_rel(ours, theirs):
    return float((torch.exp(ours.double() - theirs.double()) - 1).abs().max())


results = {"check": "transformers", "version": transformers.__version__}
for name in ["tiny-llama", "tiny-llama3-scaled", "tiny-qwen2"]:
    folder = os.path.join(root, "tests/data/models", name)
    golden = json.load(open(os.path.join(root, "tests/data/models/golden", name + ".json")))
    table = read_f32(os.path.join(root, "tests/data/models/golden", golden["logprobs_file"]))
    model = AutoModelForCausalLM.from_pretrained(folder, torch_dtype=torch.float32).eval()
    worst = 0.0
    for s, ids in enumerate(golden["sequences"]):
        ref = table[golden["offsets"][s]: golden["offsets"][s] + len(ids) * golden["vocab_size"]].view(len(ids), -1)
        worst = max(worst, max_rel(logprobs(model, ids), ref))
    results[name + "_vs_llamacpp_max_rel"] = worst

ids = [381, 12, 200, 45, 300, 7, 99, 150, 23, 377, 5, 64, 128, 256, 1, 2, 3]
ours = read_f32(os.path.join(export, "lora_logprobs.f32")).view(len(ids), -1)
merged = AutoModelForCausalLM.from_pretrained(os.path.join(export, "merged"), torch_dtype=torch.float32).eval()
results["merged_checkpoint_max_rel"] = max_rel(logprobs(merged, ids), ours)
try:
    from peft import PeftModel
    base = AutoModelForCausalLM.from_pretrained(os.path.join(root, "tests/data/models/tiny-llama"), torch_dtype=torch.float32)
    adapted = PeftModel.from_pretrained(base, os.path.join(export, "adapter")).eval()
    results["peft_adapter_max_rel"] = max_rel(logprobs(adapted, ids), ours)
except ImportError:
    results["peft"] = "not installed"
print(json.dumps(results))

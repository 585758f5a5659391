// Golden next-token distributions from llama.cpp (the prebuilt one inside node-llama-cpp).
//
// For every model in sequences.json: loads gguf/<model>.gguf on the CPU, evaluates each
// id sequence from position 0 in a fresh context (no BOS is added: the ids go in as given)
// and records log p(next = v | ids[0..t]) for every position t and every vocabulary id v.
//
// Writes golden/<model>.json (the sequences and the layout) and golden/<model>.f32
// (little-endian float32, [sequence][position][vocab], sequences concatenated).
//
// Usage (see README.md for installing the pinned packages outside the repository):
//   NODE_PATH=/tmp/llamacpp-oracle/node_modules node tests/data/models/llamacpp_logits.mjs
import {createRequire} from "node:module";
import fs from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const modulesDir = process.env.NODE_PATH ?? "/tmp/llamacpp-oracle/node_modules";
const require = createRequire(path.join(modulesDir, "noop.js"));
const {getLlama, LlamaLogLevel} = await import(require.resolve("node-llama-cpp"));
const nlcVersion = JSON.parse(fs.readFileSync(path.join(modulesDir, "node-llama-cpp/package.json"))).version;
const llamaCppTag = JSON.parse(fs.readFileSync(path.join(modulesDir, "node-llama-cpp/llama/llama.cpp.info.json"))).tag;

const sequences = JSON.parse(fs.readFileSync(path.join(here, "sequences.json"), "utf8"));
const only = process.argv.slice(2);
const sampling = {temperature: 1, topK: 0, topP: 1, minP: 0};

const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.warn});
fs.mkdirSync(path.join(here, "golden"), {recursive: true});

for (const [name, seqs] of Object.entries(sequences)) {
    if (only.length > 0 && !only.includes(name)) continue;
    const model = await llama.loadModel({modelPath: path.join(here, "gguf", `${name}.gguf`), gpuLayers: 0});
    const vocab = Number(model.fileInfo.tensorInfo.find((t) => t.name === "token_embd.weight").dimensions[1]);
    const maxLen = Math.max(...seqs.map((s) => s.length));
    const chunks = [];
    for (const ids of seqs) {
        // A fresh context per sequence: positions start at 0, nothing is reused.
        const context = await model.createContext({
            contextSize: Math.max(128, maxLen + 8),
            batchSize: Math.max(128, maxLen + 8),
            sequences: 1,
            flashAttention: false,
            experimentalKvCacheKeyType: "F32",
            experimentalKvCacheValueType: "F32",
            threads: 1,
        });
        const sequence = context.getSequence();
        const input = ids.map((id) => [id, {generateNext: {probabilities: true, options: sampling}}]);
        const results = await sequence.controlledEvaluate(input);
        if (results.length !== ids.length) throw new Error(`${name}: ${results.length} results for ${ids.length} ids`);
        const out = new Float32Array(ids.length * vocab);
        results.forEach((r, t) => {
            const probs = r?.next?.probabilities;
            if (probs == null || probs.size !== vocab)
                throw new Error(`${name}: position ${t} returned ${probs?.size} probabilities, expected ${vocab}`);
            let sum = 0;
            for (const [id, p] of probs) {
                out[t * vocab + id] = Math.log(p);
                sum += p;
            }
            if (Math.abs(sum - 1) > 1e-4) throw new Error(`${name}: position ${t} sums to ${sum}`);
        });
        chunks.push(Buffer.from(out.buffer));
        await context.dispose();
    }
    await model.dispose();
    fs.writeFileSync(path.join(here, "golden", `${name}.f32`), Buffer.concat(chunks));
    const offsets = [];
    let at = 0;
    for (const s of seqs) {
        offsets.push(at);
        at += s.length * vocab;
    }
    const meta = {
        model: name,
        hf_dir: name,
        gguf: `gguf/${name}.gguf`,
        vocab_size: vocab,
        logprobs_file: `${name}.f32`,
        layout: "little-endian float32 natural-log probabilities, [sequence][position][vocab]; "
            + "the value at float index offsets[s] + t*vocab_size + v is log p(next token = v | sequences[s][0..t])",
        offsets,
        sequences: seqs,
        oracle: `node-llama-cpp ${nlcVersion} (llama.cpp ${llamaCppTag}), CPU, F32 KV cache, `
            + "flashAttention false, temperature 1, topK 0, topP 1, minP 0, no BOS added",
    };
    fs.writeFileSync(path.join(here, "golden", `${name}.json`),
        "{\n" + Object.entries(meta).map(([k, v]) => k === "sequences"
            ? `  "sequences": [\n${v.map((s) => "    " + JSON.stringify(s)).join(",\n")}\n  ]`
            : `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(",\n") + "\n}\n");
    console.log(`${name}: ${seqs.length} sequences, ${at / vocab} positions, vocab ${vocab}`);
}
await llama.dispose();

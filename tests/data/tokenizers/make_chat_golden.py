#!/usr/bin/python3
"""Renders conversations with the real chat_template of Qwen3, Llama 3.1 (the original Llama 3
template, despite the package's name), Llama 3.2 Instruct (the date-header template Llama 3.1
introduced) and Qwen2.5 Instruct (tokenizer_config.json, fetched by fetch.sh) and of
Mistral-7B-Instruct-v0.1 (mistral_instruct/tokenizer_config.json, committed: the fetched
Mistral files have no template) through Jinja2 set up as transformers sets it up (sandboxed,
trim_blocks, lstrip_blocks, loopcontrols, tojson, raise_exception), and writes
golden/chat.jsonl, which tst_chat_format compares with ChatFormat::render. A conversation the
template refuses (raise_exception, or a Jinja error such as messages[0] of an empty list) is
written with the template's message as "error" instead of "text".
The date-header template takes its date from date_string, else strftime_now (which
transformers passes: today's date), else its own default; strftime_now is not defined here,
so rows without "date_string" have the template's default, and rows with one pass it.
Usage: /usr/bin/python3 make_chat_golden.py FILES_DIR   (Debian python3-jinja2)
(@huggingface/jinja 0.5.11 is not used: it ignores the argument of lstrip('\\n').)"""
import json
import os
import sys

from jinja2.exceptions import TemplateError
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


def raise_exception(message):
    raise TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception

contents = ["Hello!", "What is 2+2?", "  padded with spaces  ", "\n\nleading newlines\n", "tabs\tinside\t",
            "Unicode: café 中文 😀", "\u00a0nbsp around\u3000", "multi\nline\n\ncontent", "", " ",
            "Use <|im_end|> literally?", "code:\n```python\nprint(1)\n```"]
assistant = ["Sure.", "It is 4.", "<think>\nLet me add.\n</think>\n\nIt is 4.", "<think>reasoning only</think>",
             "\n\nAnswer after newlines", "Which goal do you have in mind?", "  spaced answer  ", "a</think>b</think>c",
             "<think>\n\n  spaced thought \n\n</think>\n\n  spaced after  "]
counter = [0]


def pick(a):
    counter[0] += 1
    return a[(counter[0] * 7 + 3) % len(a)]


conversations = []
for turns in range(1, 5):
    for system in [None, "You are a helpful assistant.", "  System with spaces \n"]:
        for ends_with_assistant in [False, True]:
            messages = []
            if system is not None:
                messages.append({"role": "system", "content": system})
            for t in range(turns):
                messages.append({"role": "user", "content": pick(contents)})
                if t + 1 < turns or ends_with_assistant:
                    messages.append({"role": "assistant", "content": pick(assistant)})
            conversations.append(messages)
for a in assistant:
    conversations.append([{"role": "user", "content": "q"}, {"role": "assistant", "content": a}])
    conversations.append([{"role": "user", "content": "q"}, {"role": "assistant", "content": a},
                          {"role": "user", "content": "again"}])
conversations.append([{"role": "user", "content": "first"}, {"role": "system", "content": "late system"},
                      {"role": "user", "content": "second"}])

# Only for the families added later (the rows of the first three stay as they were): the
# corners of their system-message handling, and an empty conversation, which they refuse.
later_conversations = [[], [{"role": "system", "content": " only a system message "}],
                       [{"role": "system", "content": "first"}, {"role": "system", "content": "second"},
                        {"role": "user", "content": "u"}],
                       [{"role": "system", "content": " \n "}, {"role": "user", "content": "\t"},
                        {"role": "assistant", "content": "\n"}],
                       [{"role": "assistant", "content": " assistant first "}, {"role": "user", "content": "u"}]]
dates = [None, "05 Mar 2025"]

files = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
lines = []
for family, folder in [("qwen3", os.path.join(files, "qwen3")), ("llama3", os.path.join(files, "llama3_1")),
                       ("mistral", os.path.join(here, "mistral_instruct")),
                       ("llama31", os.path.join(files, "llama3_2")), ("qwen25", os.path.join(files, "qwen2_5"))]:
    with open(os.path.join(folder, "tokenizer_config.json"), encoding="utf-8") as f:
        config = json.load(f)
    template = env.from_string(config["chat_template"])
    later = family in ("llama31", "qwen25")
    for messages in conversations + (later_conversations if later else []):
        for add_generation_prompt in [False, True]:
            for thinking in ([None, False] if family == "qwen3" else [None]):
                for date in (dates if family == "llama31" else [None]):
                    variables = {"messages": messages, "add_generation_prompt": add_generation_prompt,
                                 "bos_token": config.get("bos_token") or "", "eos_token": config.get("eos_token")}
                    if thinking is not None:
                        variables["enable_thinking"] = thinking
                    if date is not None:
                        variables["date_string"] = date
                    row = {"family": family, "messages": messages, "add_generation_prompt": add_generation_prompt,
                           "enable_thinking": thinking is None}
                    if date is not None:
                        row["date_string"] = date
                    try:
                        row["text"] = template.render(**variables)
                    except TemplateError as e:
                        row["error"] = str(e)
                    lines.append(json.dumps(row, ensure_ascii=False))
with open(os.path.join(here, "golden", "chat.jsonl"), "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
print("chat", len(lines))

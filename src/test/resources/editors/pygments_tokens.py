"""Prints the tokens that tn's Pygments lexer (editors/pygments/tn_lexer.py) gives each file, for
src/test/java/tn/syntax/PygmentsLexerTest.java: one JSON object per file, {"file": path, "tokens":
[[token type, text], ...]}, with neighbouring tokens of one type joined as a formatter joins them.

Usage: python3 pygments_tokens.py DIRECTORY_OF_TN_LEXER FILE...
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
from tn_lexer import TnLexer  # noqa: E402

for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        source = f.read()
    tokens = []
    for kind, text in TnLexer().get_tokens(source):
        if tokens and tokens[-1][0] == str(kind):
            tokens[-1][1] += text
        else:
            tokens.append([str(kind), text])
    print(json.dumps({"file": path, "tokens": tokens}))

"""A Pygments lexer for tn, the language of tensor-network diagrams (see tn's README.md).
`pip install editors/pygments` registers it under the name "tn" (and *.tn files,
MIME type text/x-tn), for nbconvert, Sphinx and other Pygments users.

The lists between BEGIN and END come from grammar/Tn.g4 and tn's registry of builtins:
src/test/java/tn/syntax/EditorModesTest.java fails when they differ and rewrites them with
-Dtn.golden.update=true. Edit the rules below them by hand.
"""

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation, String,
                            Text, Whitespace)

__all__ = ["TnLexer"]

# BEGIN lists generated from grammar/Tn.g4 and tn.interp.Builtins
KEYWORDS = (
    "and", "assert", "def", "else", "false", "for", "if", "import", "in", "leg", "not", "or",
    "return", "set", "true"
)
BUILTINS = (
    "abs", "angle", "append", "arange", "arg", "broadcast", "canonical", "causal_mask", "close",
    "complex", "composition", "compress", "conj", "cores", "cp", "dag", "delta", "detach",
    "detokenize", "diag", "directions", "draw", "drop_terms", "eig", "eigh", "einsum", "exp",
    "expand", "eye", "full", "gelu", "get", "grad", "heatmap", "imag", "is_isometry", "item",
    "jacobian", "keys", "layernorm", "len", "load", "load_gpt2", "log", "max", "mean", "min",
    "name", "network", "norm", "onehot", "ones", "patch_terms", "pick", "plot_directions",
    "plot_spectrum", "polar", "pow", "prime", "print", "qr", "random", "random_ids", "range",
    "rank", "real", "record", "relu", "save", "savez", "show", "sigmoid", "softmax", "sqrt",
    "stack", "str", "sum", "svd", "svdvals", "tag", "tanh", "terms", "tokenize", "tokens", "top",
    "total", "transformer", "tt", "tucker", "tuple", "uniform", "with", "zeros"
)
OPERATORS = (
    "!=", "*", "+", "-", "->", ".*", "/", "<", "<=", "=", "==", ">", ">=", "^"
)
# END lists generated from grammar/Tn.g4 and tn.interp.Builtins

CONSTANTS = ("true", "false")

# A name: letters (any script), digits, '_' and primes (j' is a leg name, not a quote).
_NAME = r"[^\W\d][\w']*"
_END_OF_NAME = r"(?![\w'])"
_MANTISSA = r"(?:[0-9]+\.[0-9]*|\.[0-9]+)"


class TnLexer(RegexLexer):
    """tn scripts: keywords, builtins called by name, numbers, strings and # comments."""

    name = "tn"
    aliases = ["tn"]
    filenames = ["*.tn"]
    mimetypes = ["text/x-tn"]

    tokens = {
        "root": [
            (r"[ \t\f]+", Whitespace),
            (r"\r?\n", Whitespace),
            (r"\\[ \t]*\r?\n", Text),  # a line continued
            (r"#.*?$", Comment.Single),
            (r'"', String.Double, "string"),
            (r"(def)(\s+)(" + _NAME + r")(?=\()", bygroups(Keyword, Whitespace, Name.Function)),
            (words(CONSTANTS, suffix=_END_OF_NAME), Keyword.Constant),
            (words(KEYWORDS, suffix=_END_OF_NAME), Keyword),
            # A builtin written directly before '(' is a call of it (grammar: CALL).
            (words(BUILTINS, suffix=r"(?=\()"), Name.Builtin),
            # 2j is imaginary, 2jk is 2 times jk (grammar: IMAGINARY).
            (r"(?:" + _MANTISSA + r"|[0-9]+)(?:[eE][+-]?[0-9]+)?[jJ]" + _END_OF_NAME, Number),
            (_MANTISSA + r"(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+", Number.Float),
            (r"[0-9]+", Number.Integer),
            (_NAME, Name),
            (words(OPERATORS), Operator),
            (r"[()\[\]{},;.]", Punctuation),
        ],
        "string": [
            (r'"', String.Double, "#pop"),
            (r"\\.", String.Escape),
            (r'[^"\\\r\n]+', String.Double),
            (r"(?=\r?\n)", String.Double, "#pop"),  # unterminated: the line ends it
        ],
    }

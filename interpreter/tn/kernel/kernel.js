// The tn kernel's kernel.js: `tn kernel install` copies this file next to kernel.json, and the
// classic Jupyter Notebook (notebook < 7, nbclassic) loads it when a tn notebook opens. It defines
// a CodeMirror 5 mode "tn" (MIME type text/x-tn) for the cells, which the kernel names in
// kernel_info (language_info.codemirror_mode). JupyterLab and Notebook 7 never load kernel.js:
// they fall back to the "mime" of codemirror_mode (Python highlighting), see the README, "Jupyter".
//
// The lists between BEGIN and END come from grammar/Tn.g4 and tn's registry of builtins:
// src/test/java/tn/syntax/EditorModesTest.java fails when they differ and rewrites them with
// -Dtn.golden.update=true. Edit the rules below them by hand.
define([
    "codemirror/lib/codemirror",
    "codemirror/addon/mode/simple",
    "base/js/namespace"
], function (CodeMirror, simple, Jupyter) {
    "use strict";

    // BEGIN lists generated from grammar/Tn.g4 and tn.interp.Builtins
    var keywords = [
        "and", "assert", "def", "else", "false", "for", "if", "import", "in", "leg", "not", "or",
        "return", "set", "true"
    ];
    var builtins = [
        "abs", "angle", "append", "arange", "arg", "broadcast", "canonical", "causal_mask", "close",
        "complex", "composition", "compress", "conj", "cores", "cp", "dag", "delta", "detach",
        "detokenize", "diag", "directions", "draw", "drop_terms", "eig", "eigh", "einsum", "exp",
        "expand", "eye", "full", "gelu", "get", "grad", "heatmap", "imag", "is_isometry", "item",
        "jacobian", "keys", "layernorm", "len", "load", "load_gpt2", "log", "max", "mean", "min",
        "name", "network", "norm", "onehot", "ones", "patch_terms", "pick", "plot_directions",
        "plot_spectrum", "polar", "pow", "prime", "print", "qr", "random", "random_ids", "range",
        "rank", "real", "record", "relu", "save", "savez", "show", "sigmoid", "softmax", "sqrt",
        "stack", "str", "sum", "svd", "svdvals", "tag", "tanh", "terms", "tokenize", "tokens",
        "top", "total", "transformer", "tt", "tucker", "tuple", "uniform", "with", "zeros"
    ];
    var operators = [
        "!=", "*", "+", "-", "->", ".*", "/", "<", "<=", "=", "==", ">", ">=", "^"
    ];
    // END lists generated from grammar/Tn.g4 and tn.interp.Builtins

    var constants = ["true", "false"];
    // A name: letters, digits, '_' and primes (j' is a leg name, not a quote). Letters of other
    // scripts are taken as every character from U+00C0 on: \p{L} needs the regex flag u, which
    // older CodeMirror 5 simple modes drop.
    var start = "[A-Za-z_\\u00C0-\\uFFFF]";
    var part = "[A-Za-z0-9_'\\u00C0-\\uFFFF]";
    var endOfName = "(?!" + part + ")";

    function escape(word) {
        return word.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&");
    }

    function either(words) {
        // Longest first, so that "->" is not read as "-" then ">".
        var sorted = words.slice().sort(function (a, b) { return b.length - a.length; });
        return "(?:" + sorted.map(escape).join("|") + ")";
    }

    function defineTn() {
        if (CodeMirror.modes.hasOwnProperty("tn")) return;
        var plain = keywords.filter(function (w) { return constants.indexOf(w) < 0; });
        CodeMirror.defineSimpleMode("tn", {
            start: [
                {regex: /#.*/, token: "comment"},
                {regex: /"(?:[^"\\]|\\.)*"?/, token: "string"},
                {regex: new RegExp("(def)(\\s+)(" + start + part + "*)(?=\\()"), token: ["keyword", null, "def"]},
                {regex: new RegExp(either(constants) + endOfName), token: "atom"},
                {regex: new RegExp(either(plain) + endOfName), token: "keyword"},
                // A builtin written directly before '(' is a call of it (grammar: CALL).
                {regex: new RegExp(either(builtins) + "(?=\\()"), token: "builtin"},
                // 2j is imaginary, 2jk is 2 times jk (grammar: IMAGINARY).
                {regex: new RegExp("(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?(?:[jJ]" + endOfName + ")?"),
                    token: "number"},
                {regex: new RegExp(start + part + "*"), token: "variable"},
                {regex: new RegExp(either(operators)), token: "operator"},
                {regex: /[()[\]{},;.]/, token: "bracket"},
                {regex: /\\[ \t]*$/, token: "meta"} // the line goes on on the next one
            ],
            meta: {lineComment: "#"}
        });
        CodeMirror.defineMIME("text/x-tn", "tn");
        if (CodeMirror.modeInfo && !CodeMirror.findModeByName("tn")) {
            // Lets Markdown cells highlight ```tn fences too.
            CodeMirror.modeInfo.push({name: "tn", mime: "text/x-tn", mode: "tn", ext: ["tn"]});
        }
    }

    function onload() {
        defineTn();
        // The notebook may have asked for mode "tn" before this file was loaded (it loads both
        // at once); then its cells have no mode yet, so give it to them now.
        var notebook = Jupyter && Jupyter.notebook;
        if (!notebook || !notebook.get_cells) return;
        notebook.get_cells().forEach(function (cell) {
            if (cell.cell_type === "code" && cell.code_mirror) cell.code_mirror.setOption("mode", "tn");
        });
    }

    return {onload: onload, defineTn: defineTn};
});

// Prints the tokens that the notebook's CodeMirror mode (interpreter/tn/kernel/kernel.js) gives
// each file, for src/test/java/tn/syntax/CodeMirrorModeTest.java: one JSON object per file,
// {"file": path, "tokens": [[style, text], ...]} (style null for white space), run by CodeMirror 5's
// own runMode for Node, with its simple-mode addon, as the classic Notebook runs the mode.
//
// Usage: node codemirror_tokens.js CODEMIRROR5_PACKAGE_DIR KERNEL_JS FILE...
"use strict";
const fs = require("fs");
const path = require("path");
const [cmDir, kernelJs, ...files] = process.argv.slice(2);

// runmode.node.js is CodeMirror's mode machinery without a browser; the simple-mode addon asks
// for the whole library, which this stands in for.
const CodeMirror = require(path.resolve(cmDir, "addon/runmode/runmode.node.js"));
require.cache[require.resolve(path.resolve(cmDir, "lib/codemirror.js"))] = require.cache[require.resolve(path.resolve(cmDir, "addon/runmode/runmode.node.js"))];
require(path.resolve(cmDir, "addon/mode/simple.js"));
CodeMirror.modeInfo = [];
CodeMirror.findModeByName = (name) => CodeMirror.modeInfo.find((m) => m.name === name);

// kernel.js is an AMD module, as the Notebook's RequireJS loads it.
let kernelModule = null;
global.define = (deps, factory) => {
    kernelModule = factory(CodeMirror, null, {notebook: null});
};
new Function("define", fs.readFileSync(kernelJs, "utf8"))(global.define);
kernelModule.onload();

for (const file of files) {
    const tokens = [];
    CodeMirror.runMode(fs.readFileSync(file, "utf8"), "text/x-tn", (text, style) => {
        // Text the mode leaves unstyled is either white space or a character it cannot place.
        style = style || (/^\s*$/.test(text) ? null : "unstyled");
        const last = tokens[tokens.length - 1];
        if (last && last[0] === style) last[1] += text;
        else tokens.push([style, text]);
    });
    console.log(JSON.stringify({file: file, tokens: tokens}));
}

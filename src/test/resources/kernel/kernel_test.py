"""Drives the tn Jupyter kernel through jupyter_client and nbclient, as a notebook would.

Run by tn.kernel.KernelTest (JUnit) with JUPYTER_PATH pointing at a kernelspec that
`tn kernel install --prefix` wrote. Executes the tour notebook and compares its text outputs
with the ones stored in it (--update stores the new ones instead), then checks completion,
inspection, is_complete, an error cell, an interrupt, cells aborted after a failing one and a
shutdown on a second kernel.
Exits with 1 and a message on the first check that fails.
"""
import argparse
import base64
import copy
import re
import sys
import time

import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def comparable(outputs):
    """Outputs as text to compare: images by kind only (their bytes belong to tn.draw's own tests), timings blanked."""
    result = []
    for o in outputs:
        o = copy.deepcopy(o)
        if o.get("output_type") == "stream":
            text = o["text"]
        elif o.get("output_type") == "error":
            text = "error " + o["ename"] + ": " + o["evalue"]
        else:
            data = o.get("data", {})
            text = o["output_type"] + " " + " ".join(sorted(data)) + "\n" + data.get("text/plain", "") + "\n" + data.get("text/html", "")
        result.append(re.sub(r"\d+(\.\d+)? ms\b", "<t> ms", text))
    return result


def run_notebook(path, directory, update):
    stored = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(stored)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timings would change the stored notebook on every update
    started = time.time()
    NotebookClient(nb, kernel_name="tn", timeout=60, record_timing=False, resources={"metadata": {"path": directory}}).execute()
    print("tour notebook executed in %.1f s" % (time.time() - started))
    code = [c for c in nb.cells if c.cell_type == "code"]
    check(nb.metadata.language_info == stored.metadata.language_info,
          "the kernel's language_info differs from the one stored in %s: %r (mvn test -Dtest=KernelTest "
          "-Dtn.golden.update=true stores it)" % (path, nb.metadata.language_info))
    if update:
        nbformat.write(nb, path)
        print("stored the new outputs in " + path)
    else:
        old = [c for c in stored.cells if c.cell_type == "code"]
        for n, (a, b) in enumerate(zip(old, code)):
            if comparable(a.outputs) != comparable(b.outputs):
                fail("cell %d (%s...) of %s has other outputs than the ones stored in it:\nstored: %r\nnow:    %r\n"
                     "(if the change is intended: mvn test -Dtest=KernelTest -Dtn.golden.update=true, and review the diff)"
                     % (n + 1, b.source.splitlines()[0], path, comparable(a.outputs), comparable(b.outputs)))
    outputs = [o for c in code for o in c.outputs]
    svgs = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
    check(len(svgs) >= 5, "expected inline SVG diagrams and charts, found %d" % len(svgs))
    for o in svgs:
        check("<svg" in o["data"]["image/svg+xml"], "an image/svg+xml output is not SVG")
        check(base64.b64decode(o["data"]["image/png"])[:8] == b"\x89PNG\r\n\x1a\n", "the PNG alongside an SVG is not a PNG")
    tables = [o for o in outputs if "<table" in o.get("data", {}).get("text/html", "")]
    check(tables, "no tensor was shown as an HTML table")
    check(any("<th>i \\ k</th>" in o["data"]["text/html"] for o in tables), "the table of C does not name its legs i and k")
    errors = [o for o in outputs if o.output_type == "error"]
    check(len(errors) == 1, "expected the one error cell of the tour, found %d errors" % len(errors))
    lines = errors[0]["traceback"]
    check(re.match(r"<cell \d+>:2:11: leg j has size 4 here but size 3", lines[0]), "error message not located: %r" % lines)
    check(lines[1] == "    E2 = D[i, j]" and lines[2] == "              ^", "error without its source line and caret: %r" % lines)
    check(all("java." not in line and "\tat " not in line for line in lines), "a Java stack trace in the error: %r" % lines)
    print("notebook: %d SVG images with PNGs, %d HTML tables, located error ok" % (len(svgs), len(tables)))


def execute(kc, code, timeout=30):
    outputs = []
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=lambda m: outputs.append(m))
    return reply["content"], [m for m in outputs if m["msg_type"] not in ("status", "execute_input")]


def run_requests():
    km, kc = start_new_kernel(kernel_name="tn", startup_timeout=60)
    try:
        info = kc.kernel_info(reply=True, timeout=30)["content"]
        language = info["language_info"]
        check(info["protocol_version"] == "5.3" and language["name"] == "tn" and language["file_extension"] == ".tn"
              and language.get("codemirror_mode") == {"name": "tn", "mime": "text/x-python"}
              and language.get("pygments_lexer") == "python", "kernel_info: %r" % info)

        reply, outputs = execute(kc, "leg i = 3, j = 4\nA = random(i, j, seed=1)\nx = 2\nprint(\"x is\", x)\nx + 1")
        check(reply["status"] == "ok", "execute failed: %r" % reply)
        check([m["content"].get("text") for m in outputs if m["msg_type"] == "stream"] == ["x is 2\n"], "print: %r" % outputs)
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        check(len(results) == 1 and results[0]["content"]["data"]["text/plain"] == "3"
              and results[0]["content"]["execution_count"] == reply["execution_count"], "execute_result: %r" % outputs)

        c = kc.complete("B = ran", 7, reply=True, timeout=10)["content"]
        check("random" in c["matches"] and c["cursor_start"] == 4 and c["cursor_end"] == 7, "complete: %r" % c)
        c = kc.complete("B = A[", 6, reply=True, timeout=10)["content"]
        check(c["matches"] == ["i", "j"] and c["cursor_start"] == 6, "complete legs: %r" % c)

        r = kc.inspect("U, S, V = svd(A, ", 17, reply=True, timeout=10)["content"]
        check(r["found"] and r["data"]["text/plain"].startswith("svd(T, left=") and "discarded" in r["data"]["text/plain"],
              "inspect svd: %r" % r)
        r = kc.inspect("A", 1, reply=True, timeout=10)["content"]
        check(r["found"] and r["data"]["text/plain"] == "A: [i=3, j=4] float32", "inspect A: %r" % r)

        for code, status in [("def f(x) {", "incomplete"), ("y = (1 +", "incomplete"), ("y = 1", "complete")]:
            kc.is_complete(code)
            r = kc.get_shell_msg(timeout=10)["content"]
            check(r["status"] == status, "is_complete %r: %r" % (code, r))

        reply, outputs = execute(kc, "B = A[i, j]\nC = B[j, i] A[k, j]")
        check(reply["status"] == "error" and re.match(r"<cell \d+>:2:", reply["evalue"]) and "^" in reply["evalue"],
              "error reply: %r" % reply)
        check([m["msg_type"] for m in outputs] == ["error"], "error output: %r" % outputs)

        # A long cell, interrupted: it stops, and the session is as it was before the statement.
        execute(kc, "leg a = 200, b = 200, c = 200\nM = random(a, b, seed=1)\nN = random(b, c, seed=2)\nn = 0")
        kc.execute("for t in range(1000000) {\n    n = n + norm(M N)\n}")
        time.sleep(1.5)
        started = time.time()
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=30)["content"]
        waited = time.time() - started
        check(reply["status"] == "error" and reply["ename"] == "Interrupted" and "interrupted" in reply["evalue"], "interrupt: %r" % reply)
        check(waited < 5, "the interrupt took %.1f s" % waited)
        reply, outputs = execute(kc, "n")
        check([m["content"]["data"]["text/plain"] for m in outputs] == ["0"], "state after the interrupt: %r" % outputs)

        # "Run all": cells queued behind a failing one are aborted, not run.
        queued = [kc.execute("for t in range(100) {\n    n = n + norm(M N)\n}\nassert n < 0"), kc.execute("n = 1"), kc.execute("n = 2")]
        statuses = [kc.get_shell_msg(timeout=30)["content"]["status"] for _ in queued]
        check(statuses == ["error", "aborted", "aborted"], "cells after a failing one: %r" % statuses)
        reply, outputs = execute(kc, "n > 2")
        check([m["content"]["data"]["text/plain"] for m in outputs] == ["true"], "the aborted cells ran: %r" % outputs)
        print("requests: kernel_info, execute, complete, inspect, is_complete, error, abort ok; interrupt answered in %.2f s" % waited)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    check(not km.is_alive(), "the kernel is alive after shutdown")
    print("shutdown ok")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--notebook", required=True)
    parser.add_argument("--directory", required=True, help="the notebook's working directory")
    parser.add_argument("--update", action="store_true")
    a = parser.parse_args()
    run_notebook(a.notebook, a.directory, a.update)
    run_requests()
    print("ok")


if __name__ == "__main__":
    main()

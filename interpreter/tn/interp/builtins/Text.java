package tn.interp.builtins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tn.diag.Span;
import tn.diag.TnError;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Printer;
import tn.interp.Value;
import tn.io.Bpe;
import tn.io.NpyException;
import tn.io.Vocab;

/**
 * Text in, text out: GPT-2's byte-level BPE ({@link Bpe}) turns a text into the token ids the
 * transformer functions take, from the vocab.json that tokens() and directions() read for labels
 * and the merges.txt beside it; detokenize() turns ids back into text. Paths are relative to the
 * script; the files are read (and checked) while checking, once.
 */
public final class Text {
    private Text() {}

    public static List<Builtin> all() {
        return List.of(
            Builtin.of("tokenize", "tokenize(text, vocab=\"vocab.json\", merges=\"merges.txt\")",
                "the token ids of a text by GPT-2's byte-level BPE, as a tuple of numbers (what forward(m, ids) takes): the"
                    + " vocabulary of a vocab.json (argument 2 or vocab=) and the merges of the merges.txt beside it (or merges=); <|endoftext|> in"
                    + " the text is that token",
                Text::tokenize),
            Builtin.of("detokenize", "detokenize(ids, vocab=\"vocab.json\")",
                "the text of token ids by a GPT-2 vocab.json (bytes that are not UTF-8 become U+FFFD): the inverse of tokenize",
                Text::detokenize));
    }

    /** The vocab.json a call names, as argument {@code index} or vocab=, and where it is written. */
    private record Named(String name, Span span) {}

    private static Named vocab(Args a, int index, String example) {
        if (a.has("vocab")) {
            if (a.count() > index) {
                throw new TnError(a.keywordSpan("vocab"), a.name() + "() is given a vocab.json twice: as argument " + (index + 1)
                        + " and as vocab=; keep one");
            }
            return new Named(a.string("vocab", null), a.keywordSpan("vocab"));
        }
        if (a.count() <= index) throw a.error(a.name() + "() needs a GPT-2 vocab.json: " + example);
        return new Named(a.string(index), a.span(index));
    }

    private static Value tokenize(Args a) {
        a.expect(1, 2, "a text and a vocab.json");
        String text = a.string(0);
        Named vocab = vocab(a, 1, "tokenize(text, vocab=\"gpt2/vocab.json\")");
        boolean mergesGiven = a.has("merges");
        String mergesName = mergesGiven ? a.string("merges", null) : nameBeside(vocab.name(), "merges.txt");
        Span mergesSpan = mergesGiven ? a.keywordSpan("merges") : vocab.span();
        Bpe bpe;
        try {
            bpe = Bpe.load(resolve(a, vocab.name()), vocab.name(), resolve(a, mergesName), mergesName);
        } catch (NpyException e) {
            // Bpe names the file at fault first: point at the argument that names it.
            if (!e.getMessage().startsWith(mergesName + ":")) throw new TnError(vocab.span(), e.getMessage());
            String hint = mergesGiven ? "" : " (tokenize() reads the merges from the merges.txt beside the vocab.json; give merges=\"...\" for another file)";
            throw new TnError(mergesSpan, e.getMessage() + hint);
        }
        int[] ids;
        try {
            ids = bpe.encode(text);
        } catch (NpyException e) {
            throw a.error(0, e.getMessage());
        }
        List<Value> out = new ArrayList<>(ids.length);
        for (int id : ids) out.add(new Value.Num(id));
        return new Value.Tuple(out);
    }

    private static Value detokenize(Args a) {
        a.expect(1, 2, "token ids and a vocab.json");
        double[] ids = Indexing.indices(a);
        Named vocab = vocab(a, 1, "detokenize(ids, vocab=\"gpt2/vocab.json\")");
        List<String> tokens;
        try {
            tokens = Vocab.tokens(resolve(a, vocab.name()), vocab.name());
        } catch (NpyException e) {
            throw new TnError(vocab.span(), e.getMessage());
        }
        int[] whole = new int[ids.length];
        for (int k = 0; k < ids.length; k++) {
            double id = ids[k];
            if (id != Math.rint(id) || id < 0 || id >= tokens.size()) {
                throw a.error(0, "token id " + Printer.number(id) + " (item " + k + ") is not in " + vocab.name() + " (" + tokens.size() + " tokens)");
            }
            whole[k] = (int) id;
        }
        return new Value.Str(Bpe.decode(tokens, whole));
    }

    /** "gpt2/vocab.json" -> "gpt2/merges.txt": the file of that name in the same folder, as the user would write it. */
    static String nameBeside(String file, String sibling) {
        Path parent = Path.of(file).getParent();
        return parent == null ? sibling : parent.resolve(sibling).toString();
    }

    private static Path resolve(Args a, String name) {
        return a.interpreter().directory().resolve(name).normalize();
    }
}

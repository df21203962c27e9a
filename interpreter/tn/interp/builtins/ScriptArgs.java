package tn.interp.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tn.exec.DType;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Interpreter;
import tn.interp.ScriptArguments;
import tn.interp.Value;
import tn.net.Net;
import tn.net.Tensor;

/**
 * {@code arg("weights", default="gpt2.safetensors")}: a value given on the command line
 * ({@code tn run study.tn weights=other.safetensors}), so a study reruns on other inputs without
 * editing it. The text given is read as the default's kind of value; without a default, as a
 * number, a tuple of numbers (1,2,3) or else a string.
 */
public final class ScriptArgs {
    private ScriptArgs() {}

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    public static List<Builtin> all() {
        return List.of(Builtin.of("arg", "arg(\"name\", default=)",
                "the script argument name=VALUE given on the command line (tn run script.tn name=VALUE), read as the default's"
                    + " kind of value (a string, number, true/false, tuple or vector; without a default: a number, numbers"
                    + " separated by commas as a tuple, or a string); the default when it is not given",
                ScriptArgs::arg));
    }

    private static Value arg(Args a) {
        a.expect(1, 1, "the argument's name as a string, e.g. arg(\"text\", default=\"...\")");
        String name = a.string(0);
        if (!ScriptArguments.isName(name)) {
            throw a.error(0, "\"" + name + "\" cannot name an argument: use a name such as text or n_layers");
        }
        Value fallback = a.has("default") ? a.keyword("default") : null;
        if (fallback != null && !readable(fallback)) {
            a.interpreter().checkPoison(fallback);
            throw new tn.diag.TnError(a.keywordSpan("default"), "arg() defaults are strings, numbers, true or false, dtypes, tuples"
                    + " or vectors written as a list such as [1, 2, 3], not " + fallback.kind());
        }
        ScriptArguments arguments = a.interpreter().settings().arguments();
        String text = arguments.get(name);
        if (text != null) return read(a, name, text, fallback);
        if (fallback != null) return fallback;
        if (!arguments.fromCommandLine()) {
            throw a.error("script argument " + name + " has no default, and there is no command line here to give it: write arg(\""
                    + name + "\", default=...)");
        }
        throw a.error("script argument " + name + " is not given: pass it after the script, e.g. tn run "
                + a.span().source().name() + " " + name + "=VALUE (or give arg() a default=...)");
    }

    /** The text given, as the kind of value the default is. */
    private static Value read(Args a, String name, String text, Value fallback) {
        String given = name + "=" + text;
        if (fallback == null) return inferred(text);
        if (fallback instanceof Value.Str) return new Value.Str(text);
        if (isNumber(fallback)) return new Value.Num(number(a, given, text.strip(), "a number is expected, as the default is a number"));
        if (fallback instanceof Value.Bool) {
            if (text.strip().equals("true")) return new Value.Bool(true);
            if (text.strip().equals("false")) return new Value.Bool(false);
            throw a.error(given + ": true or false is expected here, as the default is");
        }
        if (fallback instanceof Value.DTypeValue) {
            DType d = DType.parse(text.strip());
            if (d == null) throw a.error(given + ": " + DType.NAMES + " is expected here, as the default is a dtype");
            return new Value.DTypeValue(d);
        }
        if (fallback instanceof Value.Tuple t) {
            boolean numbers = !t.items().isEmpty() && t.items().stream().allMatch(v -> v instanceof Value.Num);
            boolean strings = !t.items().isEmpty() && t.items().stream().allMatch(v -> v instanceof Value.Str);
            List<Value> items = new ArrayList<>();
            for (String item : items(text)) {
                if (numbers) items.add(new Value.Num(number(a, given, item.strip(), LIST)));
                else if (strings) items.add(new Value.Str(item));
                else items.add(inferred(item));
            }
            return new Value.Tuple(items);
        }
        if (fallback instanceof Value.TensorValue tv && isVectorLiteral(tv)) {
            List<String> parts = items(text);
            double[] data = new double[parts.size()];
            for (int k = 0; k < data.length; k++) data[k] = number(a, given, parts.get(k).strip(), LIST);
            if (data.length == 0) throw a.error(given + ": a vector needs at least one number, e.g. " + name + "=1,2,3");
            return new Value.TensorValue(vector(a, data, tv.net()));
        }
        throw new IllegalStateException("a default that cannot be read: " + fallback.kind());
    }

    /** The kinds of default a text can be read as. */
    private static boolean readable(Value v) {
        return v instanceof Value.Str || isNumber(v) || v instanceof Value.Bool || v instanceof Value.DTypeValue
                || v instanceof Value.Tuple || isVectorLiteral(v);
    }

    /** A number, or one known only when running (a scalar tensor, e.g. norm(x)). */
    private static boolean isNumber(Value v) {
        return v instanceof Value.Num || v instanceof Value.Unknown || v instanceof Value.TensorValue tv && tv.net().rank() == 0;
    }

    private static boolean isVectorLiteral(Value v) {
        return v instanceof Value.TensorValue tv && tv.net().rank() == 1 && tv.net().legs().get(0).startsWith("#");
    }

    /** Comma-separated items; the empty text is no items. */
    private static List<String> items(String text) {
        List<String> out = new ArrayList<>();
        if (text.isEmpty()) return out;
        for (String item : text.split(",", -1)) out.add(item);
        return out;
    }

    private static Value inferred(String text) {
        String t = text.strip();
        if (NUMBER.matcher(t).matches()) return new Value.Num(Double.parseDouble(t));
        if (t.contains(",")) {
            List<Value> numbers = new ArrayList<>();
            for (String item : t.split(",", -1)) {
                if (!NUMBER.matcher(item.strip()).matches()) return new Value.Str(text);
                numbers.add(new Value.Num(Double.parseDouble(item.strip())));
            }
            return new Value.Tuple(numbers);
        }
        return new Value.Str(text);
    }

    private static final String LIST = "numbers separated by commas are expected (e.g. 1,2,3), as the default has";

    private static double number(Args a, String given, String text, String expected) {
        if (!NUMBER.matcher(text).matches()) throw a.error(given + ": " + expected);
        return Double.parseDouble(text);
    }

    /** A vector like the default's (its dtype; a literal's leg), holding the numbers given. */
    private static Net vector(Args a, double[] data, Net like) {
        Interpreter in = a.interpreter();
        List<String> legs = List.of(like.legs().get(0));
        long[] shape = {data.length};
        Tensor t = in.concrete()
                ? Tensor.of(legs, in.evaluator().backend().fromDoubles(data, shape, like.dtype()))
                : Tensor.signature(legs, shape, like.dtype());
        return new Net.Leaf(t, "arg", a.span());
    }
}

package tn.interp;

import java.util.List;
import tn.ast.Stmt;
import tn.exec.DType;
import tn.net.Net;

/** A runtime value of a tn script. Tensors are networks ({@link Net}); the rest are plain data. */
public sealed interface Value {

    /** What users call this kind of value in messages. */
    String kind();

    record Num(double value) implements Value {
        public String kind() { return "a number"; }
    }

    record Str(String value) implements Value {
        public String kind() { return "a string"; }
    }

    /** A truth value; {@code detail} says why, for assertion messages (e.g. the largest difference). */
    /** A boolean; {@code why} explains a false comparison (made only when asked: loops compare often). */
    record Bool(boolean value, java.util.function.Supplier<String> why) implements Value {
        public Bool(boolean value) { this(value, (java.util.function.Supplier<String>) null); }

        public Bool(boolean value, String detail) { this(value, detail == null ? null : () -> detail); }

        /** Why a comparison is false ("3 < 2 is false"), or null. */
        public String detail() { return why == null ? null : why.get(); }

        public String kind() { return "a boolean"; }
    }

    record TensorValue(Net net) implements Value {
        public String kind() { return net.rank() == 0 ? "a scalar tensor" : "a tensor"; }
    }

    record Tuple(List<Value> items) implements Value {
        public String kind() { return "a tuple of " + items.size(); }
    }

    /** A list of leg names, written `[i, j]`. */
    record Legs(List<String> names) implements Value {
        public String kind() { return "a list of legs"; }
    }

    /**
     * Named values: a model's weights and configuration, a set of results. {@code kind} names what
     * it is ("transformer") for messages; fields keep their order.
     */
    record Record(String type, java.util.Map<String, Value> fields) implements Value {
        public Record {
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }

        public String kind() { return "a " + type; }
    }

    record Function(Stmt.Def def, Interpreter.Module module) implements Value {
        public String kind() { return "a function"; }
    }

    record BuiltinFunction(Builtin builtin) implements Value {
        public String kind() { return "a builtin function"; }
    }

    record DTypeValue(DType dtype) implements Value {
        public String kind() { return "a dtype"; }
    }

    /** What a call with no result (print, save) returns. */
    record None() implements Value {
        public String kind() { return "nothing"; }
    }

    /**
     * Stands for a value that could not be computed because of an error already reported while
     * checking; using it reports nothing more, so one mistake gives one message.
     */
    record Poison() implements Value {
        public String kind() { return "an erroneous value"; }
    }

    /** A number known only when the script runs (while checking, e.g. the value of norm(x)). */
    record Unknown() implements Value {
        public String kind() { return "a value known only when running"; }
    }
}

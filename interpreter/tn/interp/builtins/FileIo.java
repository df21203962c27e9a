package tn.interp.builtins;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tn.exec.DType;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Interpreter;
import tn.interp.Value;
import tn.io.Entries;
import tn.io.NdData;
import tn.io.Npy;
import tn.io.NpyException;
import tn.io.NpyHeader;
import tn.io.Npz;
import tn.io.WriteFailure;
import tn.net.Net;
import tn.net.Tensor;

/**
 * numpy files: `load("w.npy", i, j)`, `load("m.npz", i, j, key="W")`, `save(x, "out.npy")` and
 * `savez("out.npz", W=x, b=y)`. Paths are relative to the script. While checking, only headers
 * are read, so shapes are known (and bad files reported) before anything runs.
 */
public final class FileIo {
    private FileIo() {}

    public static List<Builtin> all() {
        return List.of(
            Builtin.of("load", "load(path, legs..., key=, dtype=)",
                "reads a .npy file (or one array of a .npz, by key); the legs name its axes in order",
                FileIo::load),
            Builtin.of("save", "save(x, path)", "writes x to a .npy file, axes in the order of x's legs",
                FileIo::save),
            Builtin.of("savez", "savez(path, name=x, ...)", "writes tensors to a .npz file, one array per name",
                FileIo::savez));
    }

    private static Path resolve(Args a, String path) {
        return a.interpreter().directory().resolve(path).normalize();
    }

    private static Value load(Args a) {
        a.expect(1, -1, "a path and leg names");
        String name = a.string(0);
        Path file = resolve(a, name);
        String key = a.string("key", null);
        Interpreter in = a.interpreter();
        List<String> legs = a.count() > 1 ? Creation.legs(a, 1) : null;
        DType requested = a.has("dtype") ? a.dtype("dtype", null) : null;
        long[] shape;
        String fileType;
        NdData data = null;
        boolean npz = name.toLowerCase(java.util.Locale.ROOT).endsWith(".npz");
        Map<String, Tensor> planned = in.concrete() ? null : in.plannedWrite(file);
        try {
            if (planned != null) {
                // Checking a script that writes this file before loading it: use what it will write.
                if (key == null && planned.size() == 1) key = planned.keySet().iterator().next();
                if (npz && !planned.containsKey(key)) {
                    throw a.error(0, name + ": no array named '" + key + "' (the script writes: "
                            + String.join(", ", planned.keySet()) + ")");
                }
                shape = planned.get(key).shape();
                fileType = planned.get(key).dtype().label();
            } else if (npz) {
                Map<String, NpyHeader> headers = Npz.readHeaders(file);
                if (key == null) {
                    if (headers.size() != 1) {
                        throw a.error(0, name + " holds " + headers.size() + " arrays (" + String.join(", ", headers.keySet())
                                + "); choose one with key=\"...\"");
                    }
                    key = headers.keySet().iterator().next();
                }
                NpyHeader h = headers.get(key);
                if (h == null) {
                    throw a.error(0, name + ": no array named '" + key + "' (it holds: " + String.join(", ", headers.keySet()) + ")");
                }
                shape = h.shape();
                fileType = h.dtype();
                checkSize(a, name + ", array '" + key + "',", shape, requested, fileType);
            } else {
                if (key != null) throw a.error("key= is for .npz files; " + name + " is a single array");
                NpyHeader h = Npy.readHeader(file);
                shape = h.shape();
                fileType = h.dtype();
                checkSize(a, name, shape, requested, fileType);
            }
        } catch (NpyException e) {
            throw a.error(0, e.getMessage().replace(file.toString(), name));
        }
        if (legs != null && legs.size() != shape.length) {
            throw a.error(name + " has " + shape.length + " axes " + java.util.Arrays.toString(shape) + " but "
                    + legs.size() + " leg name" + (legs.size() == 1 ? " is" : "s are") + " given");
        }
        String what = npz ? name + ", array '" + key + "'," : name;
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] == 0) {
                // tn's legs have at least one element (a leg declaration refuses 0); an empty axis would
                // reach operations that have no meaning for it.
                throw a.error(0, what + " has an axis of size 0 (axis " + k + (legs != null ? ", leg " + legs.get(k) : "")
                        + ", shape " + java.util.Arrays.toString(shape) + "): tn's legs have at least one element, so an empty array cannot be loaded");
            }
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < shape.length; k++) {
            if (legs != null) {
                in.bindLeg(legs.get(k), shape[k], a.span(k + 1));
                names.add(legs.get(k));
            } else {
                names.add("#" + k);
            }
        }
        boolean complexFile = fileType.startsWith("complex");
        if (complexFile && requested != null && !requested.isComplex()) {
            throw new tn.diag.TnError(a.keywordSpan("dtype"), name + " holds complex numbers (" + fileType + "); loading them as " + requested
                    + " would drop the imaginary part: load them as complex64 or complex128 and take real() or abs() of the tensor");
        }
        DType dtype = requested != null ? requested
                : fileType.equals("float64") ? DType.FLOAT64
                : fileType.equals("float32") ? DType.FLOAT32
                : complexFile ? DType.parse(fileType)
                : in.settings().dtype();
        if (in.concrete()) {
            // The data only now: its shape and size have been checked from the header.
            try {
                data = npz ? Npz.read(file, key) : Npy.read(file);
            } catch (NpyException e) {
                throw a.error(0, e.getMessage().replace(file.toString(), name));
            }
        }
        Tensor t = in.concrete()
                ? Tensor.of(names, complexFile ? complexData(in, data.data(), shape, dtype) : in.evaluator().backend().fromDoubles(data.data(), shape, dtype))
                : Tensor.signature(names, shape, dtype);
        return new Value.TensorValue(new Net.Leaf(t, "load", a.span()));
    }

    /** A complex tensor from numpy's interleaved (real, imaginary) values. */
    private static tn.exec.Dense complexData(Interpreter in, double[] interleaved, long[] shape, DType dtype) {
        double[] re = new double[interleaved.length / 2], im = new double[re.length];
        for (int k = 0; k < re.length; k++) {
            re[k] = interleaved[2 * k];
            im[k] = interleaved[2 * k + 1];
        }
        return ((tn.exec.ComplexBackend) in.evaluator().backend()).fromParts(re, im, shape, dtype);
    }

    /** Refuses, before reading, an array over the memory limit: it is read as doubles, then made a tensor of its dtype. */
    private static void checkSize(Args a, String name, long[] shape, DType requested, String fileType) {
        DType dtype = requested != null ? requested : fileType.equals("float64") ? DType.FLOAT64 : DType.FLOAT32;
        if (requested == null && fileType.startsWith("complex")) dtype = DType.parse(fileType);
        else if (requested == null && !fileType.equals("float64") && !fileType.equals("float32")) dtype = a.interpreter().settings().dtype();
        Allocation.check(a.interpreter(), a.span(0), "load(): " + name + " with shape " + java.util.Arrays.toString(shape), shape,
                Double.BYTES + dtype.bytes(), "float64 as read, then " + dtype.label(), "a smaller array");
    }

    private static Value save(Args a) {
        a.expect(2, 2, "a tensor and a path");
        Net x = a.tensor(0);
        String name = a.string(1);
        if (!name.toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            throw a.error(1, "save() writes .npy files; for .npz use savez(\"" + name + "\", x=...)");
        }
        Interpreter in = a.interpreter();
        Tensor t = in.evaluator().evaluate(x);
        Path file = resolve(a, name);
        if (!in.concrete()) {
            in.planWrite(file, Map.of("", t));
            return new Value.None();
        }
        try {
            Npy.write(file, t.shape(), entries(in, t), t.dtype());
        } catch (IOException e) {
            throw a.error(1, "cannot write " + name + ": " + WriteFailure.reason(e));
        }
        return new Value.None();
    }

    private static Value savez(Args a) {
        a.expect(1, 1, "a path, then name=tensor for each array");
        String name = a.string(0);
        if (!name.toLowerCase(java.util.Locale.ROOT).endsWith(".npz")) throw a.error(0, "savez() writes .npz files");
        List<String> keys = a.keywordNames();
        if (keys.isEmpty()) throw a.error("savez() needs at least one name=tensor to save");
        Interpreter in = a.interpreter();
        Map<String, Npz.Source> arrays = new LinkedHashMap<>();
        Map<String, Tensor> shapes = new LinkedHashMap<>();
        for (String key : keys) {
            Net x = in.asTensor(a.keyword(key), a.keywordSpan(key), key + "=");
            Tensor t = in.evaluator().evaluate(x);
            shapes.put(key, t);
            if (in.concrete()) arrays.put(key, new Npz.Source(t.shape(), t.dtype(), entries(in, t)));
        }
        if (!in.concrete()) {
            in.planWrite(resolve(a, name), shapes);
            return new Value.None();
        }
        try {
            Npz.writeSources(resolve(a, name), arrays);
        } catch (IOException e) {
            throw a.error(0, "cannot write " + name + ": " + WriteFailure.reason(e));
        }
        return new Value.None();
    }

    /** A computed tensor's entries, read from the backend in chunks (never copied whole as doubles). */
    private static Entries entries(Interpreter in, Tensor t) {
        return Inspect.data(in, t); // interleaved (real, imaginary) when complex, as .npy stores them
    }
}

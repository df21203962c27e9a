package tn.interp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tn.interp.builtins.Bubbles;
import tn.interp.builtins.Creation;
import tn.interp.builtins.Decompositions;
import tn.interp.builtins.Derivatives;
import tn.interp.builtins.Drawing;
import tn.interp.builtins.Einsum;
import tn.interp.builtins.FileIo;
import tn.interp.builtins.Indexing;
import tn.interp.builtins.Inspect;
import tn.interp.builtins.LowRank;
import tn.interp.builtins.Paths;
import tn.interp.builtins.ScriptArgs;
import tn.interp.builtins.Spectra;
import tn.interp.builtins.Text;
import tn.interp.builtins.Transformers;
import tn.interp.builtins.Values;

/** The registry of builtin functions: every builtin is registered here, once, by name. */
public final class Builtins {
    private static final Map<String, Builtin> ALL = new TreeMap<>();

    static {
        List<Builtin> all = new ArrayList<>();
        all.addAll(Creation.all());
        all.addAll(Bubbles.all());
        all.addAll(Inspect.all());
        all.addAll(FileIo.all());
        all.addAll(Einsum.all());
        all.addAll(Drawing.all());
        all.addAll(Decompositions.all());
        all.addAll(LowRank.all());
        all.addAll(Spectra.all());
        all.addAll(Derivatives.all());
        all.addAll(Values.all());
        all.addAll(Indexing.all());
        all.addAll(Transformers.all());
        all.addAll(Paths.all());
        all.addAll(Text.all());
        all.addAll(ScriptArgs.all());
        all.addAll(tn.interp.builtins.Complexes.all());
        for (Builtin b : all) {
            if (ALL.put(b.name(), b) != null) throw new IllegalStateException("builtin " + b.name() + " registered twice");
        }
    }

    private Builtins() {}

    public static Builtin get(String name) { return ALL.get(name); }

    public static Collection<String> names() { return ALL.keySet(); }

    public static Collection<Builtin> all() { return ALL.values(); }
}

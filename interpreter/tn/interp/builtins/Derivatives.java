package tn.interp.builtins;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tn.diag.TnError;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Value;
import tn.net.Derivative;
import tn.net.Net;

/** {@code grad(expr, A)}: the derivative of a multilinear network with respect to one of its tensors. */
public final class Derivatives {
    private Derivatives() {}

    public static List<Builtin> all() {
        return List.of(Builtin.of("grad", "grad(expr, A)",
            "the derivative of expr with respect to the tensor A: expr with A removed (the product rule where A occurs"
                + " more than once); its legs are expr's legs then A's legs, primed (i') where a name is on both",
            Derivatives::grad));
    }

    private static Value grad(Args a) {
        a.expect(2, 2, "an expression and the tensor to differentiate by");
        Net y = a.tensor(0), x = a.tensor(1);
        Set<String> taken = new HashSet<>(y.legs());
        List<String> names = new ArrayList<>();
        for (int k = 0; k < x.rank(); k++) {
            String name = x.legs().get(k);
            while (taken.contains(name)) name = name + "'";
            taken.add(name);
            names.add(name);
            a.interpreter().bindLeg(name, x.size(k), a.span(1));
        }
        Net g;
        try {
            g = Derivative.of(y, x, names, a.span());
        } catch (Derivative.Unsupported e) {
            throw a.error(0, e.getMessage());
        }
        if (g == null) {
            throw a.error(1, a.expr(1).span().text() + " does not occur in this expression (grad() looks for that very tensor;"
                    + " a relabelled or recomputed copy is a different tensor)");
        }
        return new Value.TensorValue(g);
    }
}

package tn.net;

import java.util.Arrays;
import java.util.List;
import tn.exec.DType;
import tn.exec.Dense;

/**
 * A dense tensor with named legs: axis k of {@code data} is leg {@code legs.get(k)}. While a
 * script is only being checked, {@code data} is null and the tensor is just its signature.
 */
public record Tensor(List<String> legs, long[] shape, DType dtype, Dense data) {

    public Tensor {
        legs = List.copyOf(legs);
        shape = shape.clone();
        if (legs.size() != shape.length) throw new IllegalArgumentException("legs " + legs + " vs shape " + Arrays.toString(shape));
    }

    public static Tensor of(List<String> legs, Dense data) {
        return new Tensor(legs, data.shape(), data.dtype(), data);
    }

    public static Tensor signature(List<String> legs, long[] shape, DType dtype) {
        return new Tensor(legs, shape, dtype, null);
    }

    public boolean isConcrete() { return data != null; }

    public int rank() { return shape.length; }

    public long size() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }
}

package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An array that spans its whole buffer in C order is read where it lies, even when ND4J flags it
 * as a view (a reshape's result is so flagged): copying those cost about 1.1 s per GPT-2
 * forward. A transposed or partial view is still copied.
 */
class ContiguousTest {
    @Test
    void aReshapedWholeArrayIsUsedAsItLies() {
        INDArray a = Nd4j.arange(24).castTo(DataType.FLOAT).reshape('c', 2, 3, 4);
        INDArray r = a.reshape('c', 6, 4);
        assertSame(r, NdDense.contiguous(r, DataType.FLOAT), "view flag " + r.isView());
    }

    @Test
    void transposedOrPartialViewsAreCopied() {
        INDArray a = Nd4j.arange(24).castTo(DataType.FLOAT).reshape('c', 6, 4);
        INDArray t = a.transpose();
        INDArray c = NdDense.contiguous(t, DataType.FLOAT);
        assertNotSame(t, c);
        assertArrayEquals(t.toFloatMatrix(), c.toFloatMatrix());
        INDArray row = a.getRow(2);
        INDArray d = NdDense.contiguous(row, DataType.FLOAT);
        assertNotSame(row, d);
        assertArrayEquals(row.toFloatVector(), d.toFloatVector());
        assertArrayEquals(new float[] {8, 9, 10, 11}, toArray(d));
    }

    private static float[] toArray(INDArray a) {
        java.nio.FloatBuffer b = (java.nio.FloatBuffer) NdDense.buffer(a);
        float[] f = new float[(int) a.length()];
        b.get(0, f);
        return f;
    }
}

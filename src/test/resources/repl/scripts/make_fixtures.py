# Writes data/v.npy for relative.tn (run from this folder): the values 1, 2, 3 as float64.
import numpy as np
np.save("data/v.npy", np.array([1.0, 2.0, 3.0]))

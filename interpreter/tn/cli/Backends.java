package tn.cli;

import tn.exec.Backend;

/**
 * Creates the numeric backend on demand. Kept apart so that commands which need no numbers
 * (check, plan, draw) never load ND4J's classes or native libraries.
 */
final class Backends {
    private static Backend nd4j;

    private Backends() {}

    static synchronized Backend nd4j() {
        if (nd4j == null) nd4j = new tn.exec.nd4j.Nd4jBackend();
        return nd4j;
    }
}

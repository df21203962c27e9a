package tn.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import tn.exec.Backend;

/**
 * Creates the numeric backend on demand. Kept apart so that commands which need no numbers
 * (check, plan, draw) never load ND4J's classes or native libraries.
 */
final class Backends {
    /** Set once, when the backend exists; volatile so that the loaded proxy's calls read it without the lock. */
    private static volatile Backend nd4j;
    private static CompletableFuture<Backend> loading;

    private Backends() {}

    static synchronized Backend nd4j() {
        if (nd4j != null) return nd4j;
        if (loading == null) return nd4j = new tn.exec.nd4j.Nd4jBackend();
        try {
            return nd4j = loading.join();
        } catch (java.util.concurrent.CompletionException e) {
            // What the loading threw (a missing native library, say), as if it had been thrown here.
            if (e.getCause() instanceof Error err) throw err;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /**
     * The ND4J backend for an interactive session, loaded from now on in a background thread: the
     * REPL and the kernel take ~0.25 s less to their first prompt, and a session that never
     * computes (or that starts computing only after that) never waits for it. The first call to
     * the returned backend waits for the loading to finish (and throws what it threw, if it
     * failed); every call then goes to the loaded backend.
     */
    static synchronized Backend nd4jInBackground() {
        if (nd4j != null) return nd4j;
        if (loading == null) {
            loading = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    loading.complete(new tn.exec.nd4j.Nd4jBackend());
                } catch (Throwable e) {
                    loading.completeExceptionally(e);
                }
            }, "tn-load-nd4j");
            t.setDaemon(true);
            t.start();
        }
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, method, args) -> {
            try {
                Backend b = nd4j;
                return method.invoke(b != null ? b : nd4j(), args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}

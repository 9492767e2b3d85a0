package dev.vsa.core.gltf;

import java.nio.file.Path;

/**
 * A process for {@link AtomicFilesTest}: opens a temporary output for {@code args[0]} as a glTF conversion does,
 * says so, and hangs until the test stops it as Ctrl-C would.
 */
public final class AtomicFilesThenHang {
    private AtomicFilesThenHang() {
    }

    public static void main(String[] args) throws Exception {
        try (AtomicFiles out = new AtomicFiles()) {
            out.create(Path.of(args[0])).close();
            System.out.println("started");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}

package dev.vsa.core.splat;

import dev.vsa.core.transform.Transform;

import java.nio.file.Path;
import java.util.List;

/**
 * A process for {@link ConvertOutputsTest}: converts {@code args[0]} to {@code args[1]} with a Morton sort and hangs
 * at the first progress report (the temporary output then exists), until the test stops it as Ctrl-C would.
 */
public final class ConvertThenHang {
    private ConvertThenHang() {
    }

    public static void main(String[] args) throws Exception {
        Splats.convert(Path.of(args[0]), Path.of(args[1]),
                ConvertOptions.DEFAULTS.withTransforms(List.of(Transform.parse("sort=morton"))), (done, total) -> {
                    System.out.println("started");
                    System.out.flush();
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
    }
}

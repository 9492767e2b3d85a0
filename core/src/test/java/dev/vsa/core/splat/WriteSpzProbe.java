package dev.vsa.core.splat;

import dev.vsa.core.progress.ProgressListener;

import java.nio.file.Path;

/** A library user's program for {@link ConvertOutputsTest}: converts {@code args[0]} to the SPZ {@code args[1]}. */
public final class WriteSpzProbe {
    private WriteSpzProbe() {
    }

    public static void main(String[] args) throws Exception {
        Splats.convert(Path.of(args[0]), Path.of(args[1]), ConvertOptions.DEFAULTS, ProgressListener.NONE);
        System.out.println("written");
    }
}

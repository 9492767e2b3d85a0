package dev.vsa.core.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Feeds each file named on the command line to the fuzz target named by its folder, printing {@code ok <file>} or
 * {@code FAIL <file> <throwable>} (an OutOfMemoryError included). Run with a small heap by {@link FuzzRegressionTest}.
 */
public final class FuzzReplay {
    private FuzzReplay() {
    }

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            Path f = Path.of(a);
            try {
                ParserFuzz.run(f.getParent().getFileName().toString(), Files.readAllBytes(f));
                System.out.println("ok " + f);
            } catch (Throwable t) {
                System.out.println("FAIL " + f + " " + t);
            }
        }
    }
}

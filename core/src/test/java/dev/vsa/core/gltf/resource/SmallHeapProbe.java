package dev.vsa.core.gltf.resource;

import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.GltfConverter;
import dev.vsa.core.gltf.GltfInspector;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.validate.Issue;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a JVM of its own with a small heap by {@link SmallHeapTest}: validates, inspects, converts and reads as
 * splats each file named on the command line, printing one line per file and step: {@code OK}, the error code,
 * or {@code THROWN <class>} for anything else (an OutOfMemoryError included).
 */
public final class SmallHeapProbe {
    private SmallHeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            Path f = Path.of(a);
            System.out.println(f.getFileName() + " validate " + step(() -> {
                ValidationReport r = Validator.validate(f);
                return r.issues().messages().stream().filter(i -> i.code().equals("JSON_TOO_LARGE"))
                        .map(Issue::code).findFirst().orElse(r.isValid() ? "OK" : "INVALID");
            }));
            System.out.println(f.getFileName() + " inspect " + step(() -> {
                GltfInspector.inspect(f);
                return "OK";
            }));
            System.out.println(f.getFileName() + " convert " + step(() -> {
                Path out = Files.createTempFile(f.getParent(), "out", ".glb");
                GltfConverter.toGlb(f, out);
                return "OK";
            }));
            System.out.println(f.getFileName() + " splats " + step(() -> {
                try (SplatReader r = Splats.open(f)) {
                    return "OK";
                }
            }));
        }
    }

    private interface Step {
        String run() throws Exception;
    }

    private static String step(Step s) {
        try {
            return s.run();
        } catch (MalformedInputException e) {
            return e.code().name();
        } catch (Throwable t) {
            return "THROWN " + t.getClass().getName();
        }
    }
}

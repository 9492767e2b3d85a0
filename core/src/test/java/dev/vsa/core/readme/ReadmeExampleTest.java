package dev.vsa.core.readme;

import dev.vsa.core.inspect.SplatInspection;
import dev.vsa.core.inspect.SplatInspector;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.ConvertOptions;
import dev.vsa.core.splat.ConvertResult;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.testing.SyntheticSplats;
import dev.vsa.core.transform.Transform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's "Using core from Java" example: compiled and run here, and the README must quote it exactly. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    static String example(Path in, Path out) throws IOException {
        // README-BEGIN
        SplatInspection info = SplatInspector.inspect(in, ProgressListener.NONE);
        System.out.println(info.format() + ": " + info.count() + " splats, SH degree " + info.shDegree());

        ConvertOptions options = new ConvertOptions(SplatFormat.SPZ, WriteOptions.DEFAULTS,
                Transform.parseAll(List.of("filter-nan", "rotate=0,0,180", "sh=2")));
        ConvertResult result = Splats.convert(in, out, options, (done, total) -> { });
        System.out.println(result.splatsOut() + " splats, " + result.bytesOut() + " bytes");

        double sumX = 0;
        try (SplatReader reader = Splats.open(out)) {
            SplatBatch batch = new SplatBatch(reader.info().layout(), SplatBatch.DEFAULT_CAPACITY);
            int rows;
            while ((rows = reader.read(batch)) > 0) {
                for (int i = 0; i < rows; i++) {
                    sumX += batch.get(i, SplatLayout.X);
                }
            }
        }
        // README-END
        return info.count() + " " + result.splatsOut() + " " + Double.isFinite(sumX);
    }

    @Test
    void example_runs() throws IOException {
        Path in = SyntheticSplats.write(dir.resolve("scene.ply"), SplatFormat.PLY, SyntheticSplats.layout(3), 500, 1);
        assertEquals("500 500 true", example(in, dir.resolve("scene.spz")));
    }

    @Test
    void readme_quotesTheExample() throws IOException {
        Path root = Path.of(System.getProperty("vsa.repo.root", ".."));
        List<String> readme = Files.readAllLines(root.resolve("README.md"));
        int section = readme.indexOf("## Using core from Java");
        assertTrue(section >= 0, "README.md has no '## Using core from Java' section");
        int start = -1;
        for (int i = section; i < readme.size(); i++) {
            if (readme.get(i).equals("```java") && readme.get(i + 1).startsWith("SplatInspection info")) {
                start = i + 1;
                break;
            }
        }
        assertTrue(start > 0, "the section has no java block starting with the example");
        int end = readme.subList(start, readme.size()).indexOf("```") + start;
        List<String> quoted = readme.subList(start, end);

        List<String> source = Files.readAllLines(Path.of("src/test/java/dev/vsa/core/readme/ReadmeExampleTest.java"));
        List<String> region = new ArrayList<>();
        boolean in = false;
        for (String line : source) {
            if (line.strip().equals("// README-END")) {
                break;
            }
            if (in) {
                region.add(line.length() >= 8 ? line.substring(8) : line.strip());
            }
            in |= line.strip().equals("// README-BEGIN");
        }
        assertEquals(region, quoted, "README.md's example differs from ReadmeExampleTest's README region");
    }
}

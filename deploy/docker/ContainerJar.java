import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The Dockerfile's build stage: {@code java ContainerJar.java vsa.jar out.jar} copies vsa.jar without what a Linux
 * container never loads: the embedded PostgreSQL bundles of macOS, Windows and Alpine Linux (64 MB of the jar's
 * 131 MB) and the native libraries of other operating systems. The glibc Linux PostgreSQL stays: {@code docker run
 * vsa serve} with no VSA_DATABASE_URL still runs whole in one container. The jar that {@code ./vsa} and the
 * distributions run stays whole.
 */
public class ContainerJar {
    /** Path segments that name another operating system's native libraries (zstd-jni, webp-imageio, jline). */
    static final Set<String> OTHER_OS = Set.of("aix", "darwin", "freebsd", "mac", "osx", "win", "windows");

    static boolean drop(String name) {
        if (name.matches("postgres-.*\\.txz")) {
            // zonky's bundles: postgres-<os>-<arch>[-<distribution>].txz; the image's JRE is glibc Linux (the
            // Dockerfile needs useradd and bash, so no Alpine runtime), which loads postgres-linux-<arch>.txz.
            return !name.matches("postgres-linux-[^-]+\\.txz");
        }
        if (!name.matches(".*\\.(so|dll|dylib|jnilib)")) {
            return false;
        }
        for (String segment : name.split("/")) {
            if (OTHER_OS.contains(segment.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) throws IOException {
        long kept = 0, dropped = 0, droppedBytes = 0;
        try (ZipFile in = new ZipFile(args[0]);
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(Path.of(args[1])))) {
            // Central-directory order: META-INF/MANIFEST.MF stays first, as JarInputStream wants it.
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (drop(entry.getName())) {
                    dropped++;
                    droppedBytes += entry.getCompressedSize();
                    continue;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                if (entry.getMethod() == ZipEntry.STORED) {
                    copy.setMethod(ZipEntry.STORED);
                    copy.setSize(entry.getSize());
                    copy.setCompressedSize(entry.getSize());
                    copy.setCrc(entry.getCrc());
                }
                out.putNextEntry(copy);
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
                kept++;
            }
        }
        System.out.printf("container jar: %d entries kept, %d dropped (%.1f MB)%n", kept, dropped, droppedBytes / 1e6);
    }
}

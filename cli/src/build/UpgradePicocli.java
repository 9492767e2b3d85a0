import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Build step (JDK 24+, run by cli's pom as a single-file program): copies picocli's classes into cli's classes as
 * Java 8 class files (version 52, stack maps computed) instead of its Java 5 ones. The JVM's class-data caches (CDS,
 * the JDK 25 AOT cache) never hold class files older than Java 6, nor any class implementing one of their
 * interfaces (vsa's converters, error handler, version provider): every vsa start loaded and verified those ~250
 * classes from the jar, about a third of `vsa --version`. Only the class-file version and the stack maps change.
 *
 * <p>Usage: {@code java UpgradePicocli.java PICOCLI_JAR OUTPUT_CLASSES_DIR}
 */
public final class UpgradePicocli {
    private UpgradePicocli() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path marker = out.resolve("picocli/CommandLine.class");
        if (Files.exists(marker) && Files.getLastModifiedTime(marker).compareTo(Files.getLastModifiedTime(jar)) > 0) {
            return; // done by an earlier build
        }
        int count = 0;
        try (JarFile in = new JarFile(jar.toFile());
             URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                    ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(loader))),
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
            // rebuilding every method body makes the library write its stack-map frames
            ClassTransform upgrade = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                    .andThen((builder, element) -> {
                        if (element instanceof ClassFileVersion) {
                            builder.withVersion(ClassFile.JAVA_8_VERSION, 0);
                        } else {
                            builder.with(element);
                        }
                    });
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (!name.startsWith("picocli/") || !name.endsWith(".class")) {
                    continue; // (META-INF/versions/9/module-info.class: the shaded jar has none)
                }
                byte[] bytes;
                try (InputStream s = in.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                byte[] upgraded = cf.transformClass(cf.parse(bytes), upgrade);
                Path target = out.resolve(name);
                Files.createDirectories(target.getParent());
                Files.write(target, upgraded);
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalStateException("no picocli classes in " + jar);
        }
    }
}

package dev.vsa.core.format.sog;

import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Core without the optional WebP library, or with it but without libwebp for this platform: SOG (lossless WebP)
 * is still read, in Java, and writing it is refused with one line naming what is missing (not a
 * NoClassDefFoundError or a stack trace); the other formats still work. Core's classes are loaded afresh in a class loader that hides the library (or only its
 * native code).
 */
class WebpMissingTest {
    @TempDir
    Path dir;

    /** Loads dev.vsa.* (and com.luciad.* when {@code withJar}) itself; hides com.luciad.* or native/ resources. */
    static final class Isolated extends URLClassLoader {
        private final boolean withJar;

        Isolated(boolean withJar) throws Exception {
            super(withJar ? new URL[] {codeOf(Webp.class), codeOf(com.luciad.imageio.webp.WebPImageReaderSpi.class)}
                    : new URL[] {codeOf(Webp.class)}, WebpMissingTest.class.getClassLoader());
            this.withJar = withJar;
        }

        private static URL codeOf(Class<?> c) {
            return c.getProtectionDomain().getCodeSource().getLocation();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                boolean mine = name.startsWith("dev.vsa.") || name.startsWith("com.luciad.");
                if (!mine) {
                    return super.loadClass(name, resolve);
                }
                if (name.startsWith("com.luciad.") && !withJar) {
                    throw new ClassNotFoundException(name);
                }
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }

        @Override
        public URL getResource(String name) {
            return hidden(name) ? null : super.getResource(name);
        }

        @Override
        public URL findResource(String name) {
            return hidden(name) ? null : super.findResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return hidden(name) ? Collections.emptyEnumeration() : super.getResources(name);
        }

        private static boolean hidden(String name) {
            String n = name.startsWith("/") ? name.substring(1) : name;
            return n.startsWith("native/");
        }
    }

    private static Throwable convert(ClassLoader loader, Path in, Path out) throws Exception {
        Class<?> splats = loader.loadClass("dev.vsa.core.splat.Splats");
        Class<?> options = loader.loadClass("dev.vsa.core.splat.ConvertOptions");
        Class<?> progress = loader.loadClass("dev.vsa.core.progress.ProgressListener");
        Method convert = splats.getMethod("convert", Path.class, Path.class, options, progress);
        Object defaults = options.getField("DEFAULTS").get(null);
        Object none = progress.getField("NONE").get(null);
        try {
            convert.invoke(null, in, out, defaults, none);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
    }

    @Test
    void withoutTheLibrary_sogReadInJava_writeRefusedInOneLine_otherFormatsWork() throws Exception {
        Path ply = SyntheticSplats.write(dir.resolve("in.ply"), SplatFormat.PLY, SyntheticSplats.layout(1), 300, 5);
        Path sog = SyntheticSplats.write(dir.resolve("in.sog"), SplatFormat.SOG, SyntheticSplats.layout(1), 300, 5);
        try (Isolated loader = new Isolated(false)) {
            assertEquals(null, convert(loader, sog, dir.resolve("back.ply")), "lossless WebP is decoded in Java");
            Throwable write = convert(loader, ply, dir.resolve("out.sog"));
            assertInstanceOf(UnsupportedOperationException.class, write, () -> describe(write));
            assertTrue(write.getMessage().contains("com.github.usefulness:webp-imageio"), write::getMessage);
            assertTrue(!write.getMessage().contains("\n"), write::getMessage);
            assertEquals(null, convert(loader, ply, dir.resolve("out.spz")), "SPZ needs no WebP");
        }
        assertEquals(-1L, Files.mismatch(dir.resolve("back.ply"), back(sog)), "the same rows as with the library");
    }

    @Test
    void withoutNativeLibwebp_sogReadInJava_writeRefusedInOneLine() throws Exception {
        Path ply = SyntheticSplats.write(dir.resolve("in.ply"), SplatFormat.PLY, SyntheticSplats.layout(0), 300, 6);
        Path sog = SyntheticSplats.write(dir.resolve("in.sog"), SplatFormat.SOG, SyntheticSplats.layout(0), 300, 6);
        try (Isolated loader = new Isolated(true)) {
            assertEquals(null, convert(loader, sog, dir.resolve("back.ply")), "lossless WebP is decoded in Java");
            Throwable write = convert(loader, ply, dir.resolve("out.sog"));
            assertInstanceOf(UnsupportedOperationException.class, write, () -> describe(write));
            assertTrue(write.getMessage().contains("libwebp"), write::getMessage);
            assertTrue(!write.getMessage().contains("\n"), write::getMessage);
        }
    }

    /** {@code sog} converted to PLY by core as loaded normally (with the library). */
    private Path back(Path sog) throws IOException {
        Path out = dir.resolve("back-normal.ply");
        dev.vsa.core.splat.Splats.convert(sog, out, dev.vsa.core.splat.ConvertOptions.DEFAULTS,
                dev.vsa.core.progress.ProgressListener.NONE);
        return out;
    }

    private static String describe(Throwable t) {
        java.io.StringWriter s = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(s));
        return s.toString();
    }
}

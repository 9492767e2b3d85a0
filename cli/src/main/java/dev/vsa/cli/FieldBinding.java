package dev.vsa.cli;

import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A field of a command or mixin as picocli reads and writes it, through plain code the generated specs
 * ({@link GeneratedSpecs}) hold instead of reflection.
 */
public record FieldBinding(Supplier<Object> getter, Consumer<Object> setter) implements IGetter, ISetter {
    /** A binding to a value of its own (for a field of picocli's that generated code cannot reach), set to {@code initial}. */
    public static FieldBinding holding(Object initial) {
        Object[] value = {initial};
        return new FieldBinding(() -> value[0], v -> value[0] = v);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
        return (T) getter.get();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T set(T value) {
        T old = (T) getter.get();
        setter.accept(value);
        return old;
    }
}

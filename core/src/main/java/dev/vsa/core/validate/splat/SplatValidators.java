package dev.vsa.core.validate.splat;

import dev.vsa.core.validate.SplatFileValidator;

import java.util.List;

/** The registry of splat-file validators, asked in this order by {@link dev.vsa.core.validate.Validator}. */
public final class SplatValidators {
    /** Add a splat format's validator here. */
    private static final List<SplatFileValidator> ALL = List.of();

    private SplatValidators() {
    }

    /** Every registered splat validator. */
    public static List<SplatFileValidator> all() {
        return ALL;
    }
}

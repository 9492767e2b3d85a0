package dev.vsa.core.validate.gltf;

import java.math.BigInteger;

/**
 * Sums and products of a file's offsets, lengths and counts. JSON lets each be up to 2^63 - 1, so their sums and
 * products may pass {@code Long.MAX_VALUE}: these saturate there instead of wrapping negative, so a range that
 * reaches past every buffer stays past it in the comparisons (as in the Khronos validator, whose numbers are doubles).
 */
final class Ranges {
    private Ranges() {
    }

    /** {@code a + b}, {@link Long#MAX_VALUE} (or {@link Long#MIN_VALUE}) where it overflows. */
    static long add(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    /** {@code a * b}, {@link Long#MAX_VALUE} (or {@link Long#MIN_VALUE}) where it overflows. */
    static long multiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return lo;
        }
        return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
    }

    /** {@code a + b} for a message: exact, a {@link BigInteger} where a long cannot hold it. */
    static Number exactSum(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? BigInteger.valueOf(a).add(BigInteger.valueOf(b)) : r;
    }
}

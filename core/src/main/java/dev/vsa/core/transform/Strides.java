package dev.vsa.core.transform;

import java.math.BigInteger;

/** The even-stride selection shared by count decimation paths. */
final class Strides {
    private Strides() {
    }

    /** Whether row {@code i} of {@code total} is among {@code keep} evenly strided rows. */
    static boolean kept(long i, long keep, long total) {
        if (i < (1L << 31) && keep < (1L << 31)) {
            return Math.floorDiv((i + 1) * keep, total) > Math.floorDiv(i * keep, total);
        }
        BigInteger k = BigInteger.valueOf(keep), t = BigInteger.valueOf(total);
        return BigInteger.valueOf(i + 1).multiply(k).divide(t).compareTo(BigInteger.valueOf(i).multiply(k).divide(t)) > 0;
    }
}

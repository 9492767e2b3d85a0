package dev.vsa.core.format.util;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class MortonKeysTest {
    /**
     * The radix sort (from 65,536 rows) must give exactly the order of a plain sort: the compressed PLY writer's
     * bytes and the sort transform's order depend on it. Spreads: positions over the whole box, in a tiny corner of
     * it (the top digits all equal: passes skipped), and with a few non-finite ones (code 0).
     */
    @ParameterizedTest
    @CsvSource({"1000, 1", "65536, 1", "70001, 1", "300001, 1", "300001, 0.001", "131072, 0.5"})
    void sort_givesTheOrderOfArraysSort(int count, double spread) {
        SplittableRandom r = new SplittableRandom(count);
        MortonKeys morton = new MortonKeys(count, new double[] {-1, -2, -3}, new double[] {1, 2, 3});
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            double x = -1 + 2 * spread * r.nextDouble();
            double y = i % 997 == 0 ? Double.NaN : -2 + 4 * spread * r.nextDouble();
            double z = i % 1009 == 0 ? Double.POSITIVE_INFINITY : -3 + 6 * spread * r.nextDouble();
            keys[i] = morton.key(x, y, z, i);
        }
        long[] expected = keys.clone();
        Arrays.sort(expected);
        morton.sort(keys);
        assertArrayEquals(expected, keys);
    }
}

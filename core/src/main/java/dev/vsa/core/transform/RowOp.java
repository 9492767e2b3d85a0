package dev.vsa.core.transform;

/** A streaming step that edits a batch's rows in place and may drop rows (compacting the rest forward). */
interface RowOp {
    /**
     * @param a      the batch array
     * @param stride floats per row
     * @param rows   rows filled
     * @return rows kept (moved to the front, in order)
     */
    int apply(float[] a, int stride, int rows);

    /** Whether the step can drop rows (then the count after it is unknown until read). */
    boolean filters();
}

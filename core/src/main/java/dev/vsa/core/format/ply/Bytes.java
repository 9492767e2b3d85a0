package dev.vsa.core.format.ply;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little- and big-endian access to byte arrays, without per-value virtual calls (VarHandles are intrinsics). */
final class Bytes {
    static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle DOUBLE_LE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle FLOAT_BE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle DOUBLE_BE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {
    }

    /** The value of type {@code t} at {@code off}, as a float. */
    static float read(byte[] b, int off, PlyType t, boolean bigEndian) {
        return switch (t) {
            case CHAR -> b[off];
            case UCHAR -> b[off] & 0xFF;
            case SHORT -> bigEndian ? (short) SHORT_BE.get(b, off) : (short) SHORT_LE.get(b, off);
            case USHORT -> (bigEndian ? (short) SHORT_BE.get(b, off) : (short) SHORT_LE.get(b, off)) & 0xFFFF;
            case INT -> bigEndian ? (int) INT_BE.get(b, off) : (int) INT_LE.get(b, off);
            case UINT -> (bigEndian ? (int) INT_BE.get(b, off) : (int) INT_LE.get(b, off)) & 0xFFFFFFFFL;
            case FLOAT -> bigEndian ? (float) FLOAT_BE.get(b, off) : (float) FLOAT_LE.get(b, off);
            case DOUBLE -> (float) (bigEndian ? (double) DOUBLE_BE.get(b, off) : (double) DOUBLE_LE.get(b, off));
        };
    }

    /** An unsigned integer of type {@code t} at {@code off} (list counts). */
    static long readCount(byte[] b, int off, PlyType t, boolean bigEndian) {
        return switch (t) {
            case CHAR -> b[off];
            case UCHAR -> b[off] & 0xFF;
            case SHORT -> bigEndian ? (short) SHORT_BE.get(b, off) : (short) SHORT_LE.get(b, off);
            case USHORT -> (bigEndian ? (short) SHORT_BE.get(b, off) : (short) SHORT_LE.get(b, off)) & 0xFFFF;
            case INT -> bigEndian ? (int) INT_BE.get(b, off) : (int) INT_LE.get(b, off);
            case UINT -> (bigEndian ? (int) INT_BE.get(b, off) : (int) INT_LE.get(b, off)) & 0xFFFFFFFFL;
            default -> throw new IllegalStateException("count type " + t);
        };
    }
}

package dev.vsa.core.validate.gltf;

import dev.vsa.core.gltf.resource.Glb;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The validator's reporting on the GLB container: {@link Glb#read}'s findings as the Khronos GLB_* issues, at the
 * same byte offsets and in the same order.
 */
final class GlbReader {
    private GlbReader() {
    }

    static Glb.Layout read(FileChannel ch, Ctx ctx) throws IOException {
        return Glb.read(ch, f -> report(f, ctx));
    }

    private static void report(Glb.Finding f, Ctx ctx) {
        long at = f.offset();
        String type = f.chunk() == null ? null : f.chunk().typeName();
        switch (f.problem()) {
            case END_OF_HEADER -> ctx.issueAtByte(at, GltfIssue.GLB_UNEXPECTED_END_OF_HEADER);
            case BAD_MAGIC -> ctx.issueAtByte(at, GltfIssue.GLB_INVALID_MAGIC, f.value());
            case BAD_VERSION -> ctx.issueAtByte(at, GltfIssue.GLB_INVALID_VERSION, f.value());
            case LENGTH_TOO_SMALL -> ctx.issueAtByte(at, GltfIssue.GLB_LENGTH_TOO_SMALL, f.value());
            case LENGTH_MISMATCH -> ctx.issueAtByte(at, GltfIssue.GLB_LENGTH_MISMATCH, f.value(), at);
            case EXTRA_DATA -> ctx.issueAtByte(at, GltfIssue.GLB_EXTRA_DATA);
            case END_OF_CHUNK_HEADER -> ctx.issueAtByte(at, GltfIssue.GLB_UNEXPECTED_END_OF_CHUNK_HEADER);
            case CHUNK_UNALIGNED -> ctx.issueAtByte(at, GltfIssue.GLB_CHUNK_LENGTH_UNALIGNED, type);
            case CHUNK_TOO_BIG -> ctx.issueAtByte(at, GltfIssue.GLB_CHUNK_TOO_BIG, type, f.chunk().length());
            case FIRST_CHUNK_NOT_JSON -> ctx.issueAtByte(at, GltfIssue.GLB_UNEXPECTED_FIRST_CHUNK, type);
            case BIN_NOT_SECOND -> ctx.issueAtByte(at, GltfIssue.GLB_UNEXPECTED_BIN_CHUNK);
            case EMPTY_JSON -> ctx.issueAtByte(at, GltfIssue.GLB_EMPTY_CHUNK, type);
            case EMPTY_BIN -> ctx.issueAtByte(at, GltfIssue.GLB_EMPTY_BIN_CHUNK);
            case DUPLICATE_CHUNK -> ctx.issueAtByte(at, GltfIssue.GLB_DUPLICATE_CHUNK, type);
            case UNKNOWN_CHUNK -> ctx.issueAtByte(at, GltfIssue.GLB_UNKNOWN_CHUNK_TYPE, type);
            case END_OF_CHUNK_DATA -> ctx.issueAtByte(at, GltfIssue.GLB_UNEXPECTED_END_OF_CHUNK_DATA);
        }
    }
}

package dev.vsa.cli.remote;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.ExitException;
import dev.vsa.cli.JsonMixin;
import picocli.CommandLine.Mixin;

/**
 * Base of the commands that talk to a vsa server: {@code --server}, {@code --json}, and one mapping of server
 * errors to exit codes ({@link #exitCode}: a refused file 1, a refused value 2, everything else from the server or
 * network 3).
 */
public abstract class RemoteCommand extends BaseCommand {
    @Mixin
    protected ServerMixin remote;

    @Mixin
    protected JsonMixin json;

    @Override
    protected final int run() throws Exception {
        try {
            return call(remote.client());
        } catch (RemoteException e) {
            throw failure(e);
        }
    }

    /** Does the command's work with a client of the chosen server. */
    protected abstract int call(ApiClient client) throws Exception;

    /**
     * The exit code of a server's refusal, the same for every command (the README's exit-code table): 1 when the
     * server refused the file itself (too large, not a scene file, a .gltf without its resources), 2 when it refused
     * a value given on the command line (a malformed request or field), 3 for everything else (not logged in, no
     * such scene, a conflict, an unavailable feature, a busy or failing server).
     */
    public static int exitCode(RemoteException e) {
        return switch (e.status()) {
            case 413, 415 -> ExitCodes.INVALID;
            case 400 -> ExitCodes.USAGE;
            case 422 -> "invalid-upload".equals(e.type()) ? ExitCodes.INVALID
                    : "invalid-field".equals(e.type()) ? ExitCodes.USAGE : ExitCodes.IO;
            default -> ExitCodes.IO;
        };
    }

    /** The exit for a server error. */
    protected ExitException failure(RemoteException e) {
        int code = exitCode(e);
        String where = e.status() == 0 ? "" : " (HTTP " + e.status() + (e.type() == null ? "" : " " + e.type()) + ")";
        return new ExitException(code, e.getMessage() + where, e);
    }
}

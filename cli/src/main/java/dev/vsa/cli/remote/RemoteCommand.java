package dev.vsa.cli.remote;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.ExitException;
import dev.vsa.cli.JsonMixin;
import picocli.CommandLine.Mixin;

/**
 * Base of the commands that talk to a vsa server: {@code --server}, {@code --json}, and one mapping of server
 * errors to exit codes (rejected input 1, bad arguments 2, everything else from the server or network 3).
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

    /** The exit for a server error. */
    protected ExitException failure(RemoteException e) {
        int code = switch (e.status()) {
            case 413, 415 -> ExitCodes.INVALID;
            case 400, 422 -> ExitCodes.USAGE;
            default -> ExitCodes.IO;
        };
        String where = e.status() == 0 ? "" : " (HTTP " + e.status() + (e.type() == null ? "" : " " + e.type()) + ")";
        return new ExitException(code, e.getMessage() + where, e);
    }
}

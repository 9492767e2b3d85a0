package dev.vsa.cli.commands;

import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.PasswordMixin;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code vsa login}: signs in and keeps the tokens for the other remote commands. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Sign in to a vsa server. Asks for the password (without echo) unless --password or "
                + "--password-stdin is given. The tokens are kept in $XDG_CONFIG_HOME/vsa/credentials (default "
                + "~/.config/vsa/credentials, mode 0600) and refreshed by vsa itself."},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa login -u ada", "  echo \"$PASSWORD\" | vsa login -u ada --password-stdin"})
public final class Login extends RemoteCommand {
    @Option(names = {"-u", "--username"}, required = true, description = "Your username.")
    String username;

    @Mixin
    PasswordMixin password;

    @Override
    protected int call(ApiClient client) throws Exception {
        String pw = password.obtain(false);
        client.login(username, pw);
        if (json.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server", client.server());
            m.put("username", username);
            m.put("credentials", remote.credentials().file().toString());
            Json.print(out(), m);
        } else {
            out().println("logged in to " + client.server() + " as " + username);
        }
        return ExitCodes.OK;
    }
}

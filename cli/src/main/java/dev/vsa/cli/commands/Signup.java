package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.PasswordMixin;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vsa signup}: creates an account on a vsa server. */
@Command(name = "signup", mixinStandardHelpOptions = true,
        description = {"Create an account on a vsa server. Asks for the password (without echo) unless "
                + "--password or --password-stdin is given. Then run 'vsa login'."},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa signup --username ada --email ada@example.com",
                  "  vsa signup -u ada -e ada@example.com --server https://vsa.example.com"})
public final class Signup extends RemoteCommand {
    @Option(names = {"-u", "--username"}, required = true, description = "3 to 32 letters, digits, '_', '.', '-'.")
    String username;

    @Option(names = {"-e", "--email"}, required = true, description = "Email address.")
    String email;

    @Mixin
    PasswordMixin password;

    @Override
    protected int call(ApiClient client) throws Exception {
        String pw = password.obtain(true);
        JsonNode user = client.signup(username, email, pw);
        if (json.json()) {
            Json.print(out(), user);
        } else {
            out().println("created user " + user.path("username").asText() + " (" + user.path("id").asText()
                    + ") on " + client.server() + "; now run: vsa login -u " + user.path("username").asText());
        }
        return ExitCodes.OK;
    }
}

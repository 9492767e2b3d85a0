package dev.vsa.core.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Path;

/**
 * Runs the validator from the command line until {@code vsa validate} exists: prints the JSON report of each file
 * ({@code --summary}: one line each; {@code --max-issues N}, 0 = all). Exit code 1 if any file has errors. Used by {@code bench/validate-bench.sh}.
 */
public final class ValidateMain {
    private ValidateMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean summary = false;
        boolean invalid = false;
        ValidationOptions options = ValidationOptions.defaults();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--summary")) {
                summary = true;
                continue;
            }
            if (a.equals("--max-issues")) {
                options = options.withMaxIssues(Integer.parseInt(args[++i]));
                continue;
            }
            ValidationReport r = Validator.validate(Path.of(a), options);
            invalid |= !r.isValid();
            if (summary) {
                System.out.printf("%s: %d errors, %d warnings, %d infos, %d hints%n", a, r.issues().numErrors(),
                        r.issues().numWarnings(), r.issues().numInfos(), r.issues().numHints());
                r.issues().messages().forEach(m -> System.out.println("    " + m));
            } else {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
            }
        }
        System.exit(invalid ? 1 : 0);
    }
}

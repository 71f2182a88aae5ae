package org.greenwave.app;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.greenwave.adapters.mqtt.SigningKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code greenwave keys}: the key pairs the engine signs its plans and health with. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        header = "Makes the key pair the engine signs its plans and health with.",
        description = {"Makes the Ed25519 key pair the engine signs its timing plans and health with: serve takes the "
                + "private key (--plan-key), field controllers the public key. See README, 'Connect a broker and "
                + "controllers securely'."},
        subcommands = {KeysCommand.Generate.class, CommandLine.HelpCommand.class})
public final class KeysCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a keys command: generate (see --help)");
    }

    /** {@code greenwave keys generate --out DIR}. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            header = "Writes a new key pair: a private key only its owner can read, and its public key.",
            description = {"Writes a new Ed25519 key pair into DIR (created if missing): " + SigningKeys.PRIVATE_FILE
                    + ", the private key, readable by its owner only (0600), for serve --plan-key; and "
                    + SigningKeys.PUBLIC_FILE + ", the public key, for every field controller. Never overwrites a "
                    + "key: with either file already in DIR it writes nothing and fails."})
    static final class Generate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write the keys to.")
        Path out;

        @Override
        public Integer call() throws Exception {
            String id;
            try {
                id = SigningKeys.generate(out);
            } catch (FileAlreadyExistsException e) {
                spec.commandLine().getErr().println("greenwave: " + e.getFile() + ": " + e.getReason());
                return 1;
            }
            var o = spec.commandLine().getOut();
            o.printf("Key %s written:%n  %s  private: serve --plan-key (readable by you only; keep it secret)%n"
                            + "  %s  public: copy it to every field controller%n", id,
                    out.resolve(SigningKeys.PRIVATE_FILE), out.resolve(SigningKeys.PUBLIC_FILE));
            o.flush();
            return 0;
        }
    }
}

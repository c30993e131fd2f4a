package io.sluice.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.node.keys.StreamKey;
import io.sluice.node.keys.StreamKeyStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice keys}: publish keys of live streams, in the data directory's key store. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage live streams' publish keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    abstract static class KeyStoreCommand implements Callable<Integer> {
        @Option(names = "--data-dir", description = "Where keys persist (default ./data).", defaultValue = "data")
        Path dataDir;

        final ObjectMapper json = new ObjectMapper();

        @Override
        public Integer call() throws Exception {
            try (StreamKeyStore store = StreamKeyStore.open(dataDir)) {
                return run(store);
            }
        }

        abstract int run(StreamKeyStore store) throws Exception;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Issue the key of a live stream (or show the one it has) as JSON {\"liveId\",\"liveCode\"}.")
    static final class Create extends KeyStoreCommand {
        @Parameters(paramLabel = "NAME", description = "The stream name: rtsp://HOST:8554/live/NAME")
        String liveId;

        @Override
        int run(StreamKeyStore store) throws Exception {
            try {
                StreamKeyStore.requireValidLiveId(liveId);
            } catch (IllegalArgumentException e) {
                System.err.println("sluice keys create: " + e.getMessage());
                return 2;
            }
            StreamKey key = store.create(liveId);
            System.out.println(json.writeValueAsString(key));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every key, one JSON object a line.")
    static final class ListKeys extends KeyStoreCommand {
        @Override
        int run(StreamKeyStore store) throws Exception {
            for (StreamKey key : store.list()) {
                System.out.println(json.writeValueAsString(key));
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Remove the key of a live stream.")
    static final class Revoke extends KeyStoreCommand {
        @Parameters(paramLabel = "NAME", description = "The stream name: rtsp://HOST:8554/live/NAME")
        String liveId;

        @Override
        int run(StreamKeyStore store) {
            if (!store.revoke(liveId)) {
                System.err.println("sluice keys revoke: no key for " + liveId);
                return 1;
            }
            return 0;
        }
    }
}

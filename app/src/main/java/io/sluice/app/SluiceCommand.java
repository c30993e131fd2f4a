package io.sluice.app;

import io.netty.util.ResourceLeakDetector;
import io.sluice.node.SluiceVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} command: a media server in one process. */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = SluiceCommand.Version.class,
        description = "Sluice streaming media server: RTSP/RTP live relay, native RTP push/pull, film library, cluster.",
        subcommands = {ServeCommand.class, LbCommand.class, KeysCommand.class, CommandLine.HelpCommand.class})
public final class SluiceCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code sluice --version}: the build's version, as the API reports it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Sluice " + SluiceVersion.of(SluiceCommand.class)};
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // Leak tracking samples buffers and costs a fifth of the fan-out's CPU at 1000 readers; tests run
        // PARANOID and fail on a leak, so production runs without unless the property asks for it.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(new CommandLine(new SluiceCommand()).execute(args));
    }
}

package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** {@code sluice lb --config}: the file's lb keys apply, a node's keys are passed over, flags win. */
class LbConfigFileTest {

    @TempDir
    Path dir;

    private LbCommand parse(Path file, String... args) throws Exception {
        LbCommand lb = new LbCommand();
        CommandLine cl = new CommandLine(lb);
        ParseResult given = cl.parseArgs(args);
        LbConfigFile.apply(file, cl.getCommandSpec(), given);
        return lb;
    }

    @Test
    void theFilesLbKeysApplyAndTheFlagsWin() throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.yml"), """
                cluster: false
                cluster-name: films
                cluster-members: [10.0.0.1, "10.0.0.2:5702"]
                cluster-seat-lease: 20
                http-port: 8081
                rtsp-port: 8555
                log-level: warn
                max-request-line: 2048
                rtp-port: 9000
                media-dir: ./films
                """);
        LbCommand lb = parse(file, "--http-port", "9999");
        assertThat(lb.clusterName).isEqualTo("films");
        assertThat(lb.clusterMembers).containsExactly("10.0.0.1", "10.0.0.2:5702");
        assertThat(lb.clusterSeatLease).isEqualTo(20);
        assertThat(lb.httpPort).as("the flag wins").isEqualTo(9999);
        assertThat(lb.rtspPort).isEqualTo(8555);
        assertThat(lb.logLevel).isEqualTo("warn");
        assertThat(lb.maxRequestLine).as("the nodes' RTSP limit bounds the load balancer's too").isEqualTo(2048);
        assertThat(lb.maxHeaderSize).as("default").isEqualTo(8192);
        assertThat(lb.cluster).as("a node's cluster switch means nothing to lb").isNull();
    }

    @Test
    void aValueOfTheWrongKindIsAnError() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yml"), "http-port: eighty\n");
        assertThatThrownBy(() -> parse(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http-port");
    }

    @Test
    void theExampleFileIsReadable() throws Exception {
        LbCommand lb = parse(Path.of(System.getProperty("user.dir")).resolveSibling("sluice.example.yml"));
        assertThat(lb.clusterName).isNotBlank();
    }
}

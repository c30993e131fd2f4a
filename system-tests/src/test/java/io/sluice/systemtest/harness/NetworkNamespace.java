package io.sluice.systemtest.harness;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network namespace of the test's own, with only a loopback interface, where nftables drops a random
 * share of the UDP datagrams delivered to any socket: real loss both ways between processes that
 * run inside it (this kernel has no netem). TCP is untouched, so an RTSP publisher over TCP
 * interleaved loses nothing and only the readers' RTP and RTCP suffer.
 *
 * <p>Processes enter it through {@link #exec(List)}: {@code ip netns exec NS} sets the namespace and
 * then execs the command, so the started process is the command itself and signals reach it.
 * {@link #close()} kills whatever still runs inside and deletes the namespace. A machine where this
 * cannot work (not root, no {@code ip} or {@code nft}, no namespaces) skips the test with the reason.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final long COMMAND_TIMEOUT_MS = 10_000;
    private static final String TABLE = "sluice_loss";
    private static final String CHAIN = "in";
    private static final Pattern COUNTED = Pattern.compile("counter packets (\\d+) bytes \\d+$", Pattern.MULTILINE);
    private static final Pattern DROPPED = Pattern.compile("counter packets (\\d+) bytes \\d+ drop");

    private final String name;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    /**
     * Creates {@code sluice-loss-RANDOM} with its loopback up; skips the test when the machine cannot.
     * The caller must {@link #close()} it, also on failure.
     */
    public static NetworkNamespace create() {
        assumeTrue(isRoot(), "network namespaces need root");
        assumeTrue(Peers.onPath("ip").isPresent(), "no ip (iproute2) on PATH");
        assumeTrue(Peers.onPath("nft").isPresent(), "no nft (nftables) on PATH");
        String name = "sluice-loss-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000000, 0x10000000));
        Result added = run(List.of("ip", "netns", "add", name));
        assumeTrue(added.ok(), "ip netns add failed: " + added.output());
        NetworkNamespace namespace = new NetworkNamespace(name);
        try {
            Result up = run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
            assumeTrue(up.ok(), "ip link set lo up in " + name + " failed: " + up.output());
            Result table = run(namespace.exec(List.of("nft", "add", "table", "inet", TABLE)));
            assumeTrue(table.ok(), "nft add table failed (no nf_tables?): " + table.output());
            Result chain = run(namespace.exec(List.of("nft", "add", "chain", "inet", TABLE, CHAIN,
                    "{ type filter hook input priority 0; }")));
            assumeTrue(chain.ok(), "nft add chain failed: " + chain.output());
            return namespace;
        } catch (RuntimeException | Error e) {
            namespace.close();
            throw e;
        }
    }

    /** {@code command} run inside this namespace. */
    public List<String> exec(List<String> command) {
        List<String> inside = new ArrayList<>(prefix());
        inside.addAll(command);
        return inside;
    }

    /** The words that run a command inside this namespace: {@code ip netns exec NAME}. */
    public List<String> prefix() {
        return List.of("ip", "netns", "exec", name);
    }

    /**
     * Drops {@code percent}% of the UDP datagrams delivered inside the namespace, chosen at random;
     * counts them, and all UDP datagrams delivered. A datagram here is what the input hook sees: one
     * {@code sendmsg} with UDP GSO reaches it on loopback as one packet, segments and all.
     */
    public void dropUdpInput(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be in 0..100: " + percent);
        }
        nft("add", "rule", "inet", TABLE, CHAIN, "meta", "l4proto", "udp", "counter");
        nft("add", "rule", "inet", TABLE, CHAIN, "meta", "l4proto", "udp",
                "numgen", "random", "mod", "100", "<", Integer.toString(percent), "counter", "drop");
    }

    /** UDP datagrams that reached the loss rule so far, and how many of them it dropped. */
    public UdpCounts udpCounts() {
        Result listing = run(exec(List.of("nft", "list", "chain", "inet", TABLE, CHAIN)));
        Matcher all = COUNTED.matcher(listing.output());
        Matcher dropped = DROPPED.matcher(listing.output());
        return new UdpCounts(all.find() ? Long.parseLong(all.group(1)) : 0, dropped.find() ? Long.parseLong(dropped.group(1)) : 0);
    }

    /** UDP datagrams delivered in the namespace and dropped by the loss rule. */
    public record UdpCounts(long seen, long dropped) {
        @Override
        public String toString() {
            return String.format("nftables dropped %d of %d UDP datagrams (%.1f%%)", dropped, seen,
                    seen == 0 ? 0.0 : 100.0 * dropped / seen);
        }
    }

    private void nft(String... words) {
        List<String> command = new ArrayList<>(List.of("nft"));
        command.addAll(List.of(words));
        Result result = run(exec(command));
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
        }
    }

    public String name() {
        return name;
    }

    /** Kills what the test left running inside (by pid), then deletes the namespace. */
    @Override
    public void close() {
        Result pids = run(List.of("ip", "netns", "pids", name));
        for (String pid : pids.output().split("\\s+")) {
            if (!pid.isEmpty() && pid.chars().allMatch(Character::isDigit)) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        run(List.of("ip", "netns", "del", name));
    }

    @Override
    public String toString() {
        return "netns " + name;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs a short administrative command, its output (stdout and stderr) captured, bounded to 10 s. */
    private static Result run(List<String> command) {
        Path output = null;
        try {
            output = Files.createTempFile("sluice-netns", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + ": no exit within " + COMMAND_TIMEOUT_MS + " ms");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}

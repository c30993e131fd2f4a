package io.sluice.bench.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What /proc and jcmd tell about a server process and the loopback UDP stack. */
public final class ProcessStats {

    /** USER_HZ: the unit of utime and stime in /proc/PID/stat, 100 on every Linux this runs on. */
    public static final int CLOCK_TICKS_PER_SECOND = 100;
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private ProcessStats() {
    }

    /** utime + stime of every thread of {@code pid}, in clock ticks. */
    public static long cpuTicks(long pid) throws IOException {
        long[] userKernel = userKernelTicks(pid);
        return userKernel[0] + userKernel[1];
    }

    /**
     * {utime, stime} of every thread of {@code pid}, in clock ticks. stime is the kernel's work on the
     * process's behalf: its system calls and, on loopback, the receivers' side of every datagram it sends.
     */
    public static long[] userKernelTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After "pid (comm) " the fields start at state (field 3); utime is field 14, stime field 15.
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    public static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** Java heap in use after a full collection ({@code jcmd PID GC.run}, then {@code GC.heap_info}). */
    public static long heapUsedAfterGcKb(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Processes.output(List.of(jcmd, Long.toString(pid), "GC.run"), 60);
        String info = Processes.output(List.of(jcmd, Long.toString(pid), "GC.heap_info"), 60);
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) {
            throw new IOException("no heap usage in jcmd GC.heap_info: " + info);
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Host CPU time since boot across all cores, in clock ticks: {busy, steal}. Busy counts user, nice, system,
     * irq, softirq and steal; idle and iowait are not busy.
     */
    public static long[] hostCpuTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(f[i]);
        }
        return new long[] {busy, Long.parseLong(f[8])};
    }

    /** Bytes waiting in the receive queues of the loopback UDP sockets bound to {@code ports} (/proc/net/udp). */
    public static long udpReceiveQueueBytes(java.util.Set<Integer> ports) throws IOException {
        long sum = 0;
        List<String> lines = Files.readAllLines(Path.of("/proc/net/udp"));
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
            if (ports.contains(port)) {
                sum += Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
            }
        }
        return sum;
    }

    /** Datagrams the kernel dropped because a receiving socket's buffer was full (all sockets of the host). */
    public static long udpReceiveBufferErrors() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                String[] names = lines.get(i).split("\\s+");
                String[] values = lines.get(i + 1).split("\\s+");
                for (int k = 0; k < names.length; k++) {
                    if (names[k].equals("RcvbufErrors")) {
                        return Long.parseLong(values[k]);
                    }
                }
            }
        }
        return -1;
    }
}

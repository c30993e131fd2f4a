package io.sluice.bench.common;

import java.io.IOException;

/**
 * CPU time over a measuring window, from /proc: of the server under test, of this process (the load
 * generator) and of the whole host. {@link #open} at the window's start, {@link #close} at its end.
 */
public final class CpuWindow {

    private final long serverPid;
    private final long startNs;
    private final long serverTicks0;
    private final long serverKernelTicks0;
    private final long selfTicks0;
    private final long[] hostTicks0;

    /**
     * What the window used, in clock ticks (1/{@value ProcessStats#CLOCK_TICKS_PER_SECOND} s).
     *
     * @param seconds        the window's length
     * @param serverTicks    the server's utime + stime
     * @param serverKernelTicks the server's stime alone
     * @param hostBusyTicks  busy time of all cores, this process and the server included
     * @param hostStealTicks time the hypervisor gave to others
     */
    public record Usage(double seconds, long serverTicks, long serverKernelTicks, long selfTicks, long hostBusyTicks,
                        long hostStealTicks) {

        public double serverSeconds() {
            return serverTicks / (double) ProcessStats.CLOCK_TICKS_PER_SECOND;
        }

        public double selfSeconds() {
            return selfTicks / (double) ProcessStats.CLOCK_TICKS_PER_SECOND;
        }

        /** The server's CPU in % of one core. */
        public double serverPercent() {
            return percentOfCore(serverTicks);
        }

        /** The server's kernel time (stime) in % of one core: part of {@link #serverPercent()}. */
        public double serverKernelPercent() {
            return percentOfCore(serverKernelTicks);
        }

        /** The load generator's CPU in % of one core. */
        public double selfPercent() {
            return percentOfCore(selfTicks);
        }

        /** Every other process of the host, in % of one core. */
        public double otherPercent() {
            return percentOfCore(hostBusyTicks - serverTicks - selfTicks);
        }

        public double stealPercent() {
            return percentOfCore(hostStealTicks);
        }

        private double percentOfCore(long ticks) {
            return 100.0 * ticks / ProcessStats.CLOCK_TICKS_PER_SECOND / seconds;
        }
    }

    private CpuWindow(long serverPid) throws IOException {
        this.serverPid = serverPid;
        long[] server = ProcessStats.userKernelTicks(serverPid);
        this.serverTicks0 = server[0] + server[1];
        this.serverKernelTicks0 = server[1];
        this.selfTicks0 = ProcessStats.cpuTicks(ProcessHandle.current().pid());
        this.hostTicks0 = ProcessStats.hostCpuTicks();
        this.startNs = System.nanoTime();
    }

    /** Starts a window on the server process {@code serverPid}. */
    public static CpuWindow open(long serverPid) throws IOException {
        return new CpuWindow(serverPid);
    }

    /** Ends the window and answers what it used. */
    public Usage close() throws IOException {
        long endNs = System.nanoTime();
        long[] server = ProcessStats.userKernelTicks(serverPid);
        long serverTicks = server[0] + server[1] - serverTicks0;
        long serverKernelTicks = server[1] - serverKernelTicks0;
        long selfTicks = ProcessStats.cpuTicks(ProcessHandle.current().pid()) - selfTicks0;
        long[] host = ProcessStats.hostCpuTicks();
        return new Usage((endNs - startNs) / 1e9, serverTicks, serverKernelTicks, selfTicks, host[0] - hostTicks0[0],
                host[1] - hostTicks0[1]);
    }
}

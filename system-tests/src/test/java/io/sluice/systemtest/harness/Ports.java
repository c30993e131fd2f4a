package io.sluice.systemtest.harness;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Loopback port checks. */
final class Ports {

    private static final int CONNECT_TIMEOUT_MS = 500;
    private static final long POLL_MS = 100;

    private Ports() {
    }

    /** True once a TCP connect to {@code port} succeeds; false after {@code timeout} or as soon as {@code alive} turns false. */
    static boolean awaitTcpListening(int port, Duration timeout, BooleanSupplier alive) {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadlineNs && alive.getAsBoolean()) {
            if (tcpListening(port)) {
                return true;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    static boolean tcpListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if nothing is bound to TCP {@code port} on any address. */
    static boolean tcpFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if nothing is bound to UDP {@code port} on any address. */
    static boolean udpFree(int port) {
        try (DatagramSocket socket = new DatagramSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

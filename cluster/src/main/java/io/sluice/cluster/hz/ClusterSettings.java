package io.sluice.cluster.hz;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * How a Sluice process finds and joins its cluster. Members are found by TCP/IP on the listed hosts (no
 * multicast); a member given without a port is tried on {@code port} and the {@link #PORT_COUNT} ports after
 * it, which is also where this process binds, so several processes on one machine find each other.
 *
 * @param name    the cluster's name: processes with another name never join
 * @param port    the first cluster port
 * @param members {@code host[:port]} of members to contact
 */
public record ClusterSettings(String name, int port, List<String> members) {

    public static final String DEFAULT_NAME = "sluice";
    public static final int DEFAULT_PORT = 5701;
    public static final int PORT_COUNT = 20;
    public static final List<String> DEFAULT_MEMBERS = List.of("127.0.0.1");

    public ClusterSettings {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the cluster name must not be blank");
        }
        if (port < 1 || port + PORT_COUNT > 65_535) {
            throw new IllegalArgumentException("the cluster port must be 1.." + (65_535 - PORT_COUNT) + ", not " + port);
        }
        members = List.copyOf(members.isEmpty() ? DEFAULT_MEMBERS : members);
        for (String m : members) {
            if (m.isBlank()) {
                throw new IllegalArgumentException("an empty cluster member in " + members);
            }
        }
    }

    public static ClusterSettings defaults() {
        return new ClusterSettings(DEFAULT_NAME, DEFAULT_PORT, DEFAULT_MEMBERS);
    }

    /** True when every member is on this machine's loopback: then the cluster binds loopback only. */
    public boolean loopbackOnly() {
        for (String m : members) {
            try {
                if (!InetAddress.getByName(host(m)).isLoopbackAddress()) {
                    return false;
                }
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return true;
    }

    private static String host(String member) {
        if (member.startsWith("[")) {
            int end = member.indexOf(']');
            return end < 0 ? member : member.substring(1, end);
        }
        int colon = member.indexOf(':');
        return colon < 0 || member.indexOf(':', colon + 1) >= 0 ? member : member.substring(0, colon);
    }
}

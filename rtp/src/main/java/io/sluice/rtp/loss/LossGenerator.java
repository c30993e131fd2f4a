package io.sluice.rtp.loss;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * Decides whether a datagram is lost, at the transport of a UDP endpoint that accepts one (the native
 * server's sockets, the SDK's clients): tests inject loss end to end without a network that drops,
 * as Aeron's media driver does with its {@code LossGenerator}.
 */
@FunctionalInterface
public interface LossGenerator {

    /** Never drops. */
    LossGenerator NONE = (address, datagram) -> false;

    /**
     * @param address  where the datagram comes from (receive) or goes to (send)
     * @param datagram the datagram's bytes, not to be modified or released
     * @return true to drop it
     */
    boolean shouldDrop(InetSocketAddress address, ByteBuf datagram);
}

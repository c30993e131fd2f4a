package io.sluice.node;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;

/** Binds a listener and, when it cannot, says which one: the kernel's error names no port. */
public final class PortBinding {

    private PortBinding() {
    }

    /**
     * Binds {@code bootstrap} to {@code host:port} and waits.
     *
     * @param what the listener, as the operator knows it ("RTSP port", "RTP port" ...)
     * @throws IllegalStateException naming {@code what}, the address and the kernel's reason, when the bind fails
     */
    public static Channel bind(AbstractBootstrap<?, ?> bootstrap, String host, int port, String what)
            throws InterruptedException {
        try {
            return bootstrap.bind(host, port).sync().channel();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // sync() rethrows the bind's IOException unchecked; only its message says what went wrong.
            throw new IllegalStateException(what + " " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }
}

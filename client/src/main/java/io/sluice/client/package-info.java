/**
 * The Java SDK of the native push/pull protocol: {@link io.sluice.client.PushStreamClient} and
 * {@link io.sluice.client.PullStreamClient}, with the events of {@link io.sluice.client.NativeEvent}.
 *
 * <h2>Threading model</h2>
 * Each client owns one UDP socket on one Netty NIO event loop: its own one-thread group by default, or
 * a loop of a group passed in {@link io.sluice.client.ClientOptions#eventLoopGroup()} (hundreds of
 * clients can share a few threads). All of a client's state is confined to that loop:
 * <ul>
 *   <li>public methods may be called from any thread; they queue their work on the loop and return at
 *       once, and the work runs in call order (also when called from the listener, after the current
 *       event);</li>
 *   <li>the listener is called on the loop, one event at a time, in order: it must not block (hand
 *       heavy work to another thread), and {@code close()} must not be called from it;</li>
 *   <li>{@code close()} waits for the loop to finish the client's work, then closes the socket, and shuts
 *       the group down when it is the client's own.</li>
 * </ul>
 *
 * <h2>Example</h2>
 * <pre>{@code
 * InetSocketAddress node = new InetSocketAddress("127.0.0.1", 61040);
 * try (PushStreamClient push = new PushStreamClient("0.0.0.0", 0, node, System.out::println)) {
 *     push.auth("cam1", "CODE");                 // AuthRsp[liveId=cam1, accepted=true]
 *     push.pushStreamData("cam1", tsChunk);     // MPEG-TS, whole 188-byte packets
 * }
 * try (PullStreamClient pull = new PullStreamClient("0.0.0.0", 0, new InetSocketAddress("127.0.0.1", 61041),
 *         event -> { if (event instanceof NativeEvent.PullStreamData d) { write(d.data()); } })) {
 *     pull.pullStreamStart();
 *     pull.pullStreamData(List.of("cam1"));
 * }
 * }</pre>
 */
package io.sluice.client;

package io.sluice.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;

/**
 * The subscribers of a server-sent event stream (text/event-stream): each published event goes to every
 * open connection, and a new subscriber gets the last event at once so a page has data before the next
 * tick. Closed connections leave the group by themselves.
 */
public final class EventHub {

    /** Browsers reconnect after this long when the stream breaks. */
    private static final int RETRY_MS = 2000;

    private final ChannelGroup subscribers = new DefaultChannelGroup("sse", GlobalEventExecutor.INSTANCE);
    private volatile String last;

    void subscribe(Channel channel) {
        subscribers.add(channel);
        String event = last;
        channel.writeAndFlush(chunk("retry: " + RETRY_MS + "\n\n" + (event == null ? "" : event)));
    }

    /** Sends one event named {@code name} whose data is {@code json} (one line: JSON has no raw newlines). */
    public void publish(String name, String json) {
        String event = "event: " + name + "\ndata: " + json + "\n\n";
        last = event;
        if (!subscribers.isEmpty()) {
            subscribers.writeAndFlush(chunk(event));
        }
    }

    private static DefaultHttpContent chunk(String text) {
        ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        return new DefaultHttpContent(buf);
    }
}

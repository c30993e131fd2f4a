package io.sluice.node.vod.room;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The memory budget of every room's GOPs on a node. A GOP a viewer is playing is pinned; the others are
 * kept in least-recently-used order and dropped, oldest first, when the budget is exceeded. When every
 * GOP is pinned and the budget is still exceeded, the cache is full: demuxers stop reading ahead until
 * viewers move on. The bound is therefore {@code maxBytes} plus the GOP each demuxer is assembling.
 *
 * <p>Confined to the media loop, except {@link #full()}, which demux threads poll.
 */
public final class VodCache {

    private final long maxBytes;
    private final LinkedHashSet<Gop> unpinned = new LinkedHashSet<>();
    private long usedBytes;
    private long evictions;
    private volatile boolean full;

    public VodCache(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** Takes a new GOP into the budget, unpinned, and drops older unpinned GOPs while over budget. */
    void add(Gop gop) {
        usedBytes += gop.bytes();
        unpinned.add(gop);
        trim(gop);
    }

    void pin(Gop gop) {
        if (gop.pins++ == 0) {
            unpinned.remove(gop);
        }
    }

    /** The GOP becomes the most recently used of the droppable ones. */
    void unpin(Gop gop) {
        if (--gop.pins == 0 && !gop.evicted) {
            unpinned.add(gop);
            trim(null);
        }
    }

    /** Forgets a GOP its room is dropping (the room is closing) and frees it. */
    void remove(Gop gop) {
        if (gop.evicted) {
            return;
        }
        gop.evicted = true;
        unpinned.remove(gop);
        usedBytes -= gop.bytes();
        gop.release();
        full = usedBytes > maxBytes;
    }

    /** True while the budget is exceeded by pinned GOPs alone; demuxers wait. Any thread. */
    public boolean full() {
        return full;
    }

    public long usedBytes() {
        return usedBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** GOPs dropped to stay within the budget since the node started. */
    public long evictions() {
        return evictions;
    }

    private void trim(Gop keep) {
        Iterator<Gop> oldest = unpinned.iterator();
        while (usedBytes > maxBytes && oldest.hasNext()) {
            Gop victim = oldest.next();
            if (victim == keep) {
                continue;
            }
            oldest.remove();
            victim.evicted = true;
            usedBytes -= victim.bytes();
            evictions++;
            victim.owner.onEvicted(victim);
            victim.release();
        }
        full = usedBytes > maxBytes;
    }
}

package io.sluice.rtp.loss;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;

/**
 * Drops each datagram independently with a fixed probability, from a seeded generator so that a failing
 * run can be repeated. Synchronized: one instance may sit on several event loops.
 */
public final class RandomLossGenerator implements LossGenerator {

    private final double lossRate;
    private final SplittableRandom random;
    private long seen;
    private long dropped;

    /** @param lossRate the share of datagrams dropped, 0..1 */
    public RandomLossGenerator(double lossRate, long seed) {
        if (lossRate < 0 || lossRate > 1) {
            throw new IllegalArgumentException("lossRate must be in 0..1: " + lossRate);
        }
        this.lossRate = lossRate;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public synchronized boolean shouldDrop(InetSocketAddress address, ByteBuf datagram) {
        seen++;
        if (random.nextDouble() < lossRate) {
            dropped++;
            return true;
        }
        return false;
    }

    public synchronized long seen() {
        return seen;
    }

    public synchronized long dropped() {
        return dropped;
    }
}

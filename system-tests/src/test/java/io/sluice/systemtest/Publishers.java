package io.sluice.systemtest;

import io.sluice.systemtest.harness.PeerProcess;

/** Checks on publishing peers that every relay test shares. */
final class Publishers {

    private Publishers() {
    }

    /** A publisher is still sending, or finished its clip with exit code 0: Sluice did not cut it off. */
    static void assertStillPublishingOrDone(PeerProcess publisher) {
        if (!publisher.isAlive()) {
            publisher.awaitSuccess();
        }
    }
}

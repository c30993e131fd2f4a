package io.sluice.api;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test class whose every test gets a node of its own: a {@link TestNode} on a fresh temporary directory. */
abstract class NodePerTest {

    @TempDir
    Path dir;
    /** The running test's node; a test may close it and start another in its place (or leave null). */
    TestNode node;

    @BeforeEach
    void startNode() throws Exception {
        node = TestNode.start(dir);
    }

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }
}

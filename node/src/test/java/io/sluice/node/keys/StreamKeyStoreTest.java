package io.sluice.node.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamKeyStoreTest {

    @TempDir
    Path dir;

    @Test
    void keysPersistAcrossReopeningAndVerifyOnlyTheRightCode() {
        StreamKey key;
        try (StreamKeyStore store = StreamKeyStore.open(dir)) {
            key = store.create("cam1");
            assertThat(key.liveCode()).hasSize(20);
            assertThat(store.create("cam1")).isEqualTo(key);
        }
        try (StreamKeyStore store = StreamKeyStore.open(dir)) {
            assertThat(store.find("cam1")).contains(key);
            assertThat(store.verify("cam1", key.liveCode())).isTrue();
            assertThat(store.verify("cam1", key.liveCode() + "x")).isFalse();
            assertThat(store.verify("cam1", null)).isFalse();
            assertThat(store.verify("cam2", key.liveCode())).isFalse();
            assertThat(store.list()).containsExactly(key);
            assertThat(store.revoke("cam1")).isTrue();
            assertThat(store.revoke("cam1")).isFalse();
            assertThat(store.verify("cam1", key.liveCode())).isFalse();
        }
    }

    @Test
    void theKeysAreReadableByTheirOwnerOnly() throws Exception {
        Path data = dir.resolve("data");
        try (StreamKeyStore store = StreamKeyStore.open(data)) {
            store.create("cam1");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        try (StreamKeyStore store = StreamKeyStore.open(data)) {
            assertThat(store.list()).hasSize(1);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("sluice.mv.db"))))
                .isEqualTo("rw-------");
    }

    @Test
    void refusesNamesThatAreNotPathSegments() {
        try (StreamKeyStore store = StreamKeyStore.open(dir)) {
            for (String bad : new String[] {"", "a/b", "../x", "a b", "x".repeat(129), ".hidden"}) {
                assertThatThrownBy(() -> store.create(bad)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(store.find("a/b")).isEmpty();
        }
    }
}

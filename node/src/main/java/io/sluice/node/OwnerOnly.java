package io.sluice.node;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data directory holds secrets (stream keys, the admin token): what Sluice creates there is its owner's
 * alone, where the file system has POSIX permissions. A directory that already exists keeps the permissions
 * its owner gave it.
 */
public final class OwnerOnly {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnly() {
    }

    /** Creates {@code dir} and its missing parents as {@code rwx------}; nothing when it exists. */
    public static void createDirectories(Path dir) throws IOException {
        if (POSIX && !Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Makes an existing file {@code rw-------}. */
    public static void restrict(Path file) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}

package io.sluice.api;

import io.sluice.node.OwnerOnly;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The admin token kept in the data directory ({@code api-token}) when none is given on the command line:
 * made at the first start, readable by the owner only.
 *
 * @param created true when this call made the file, so the token must be shown to the operator once
 */
public record ApiToken(String value, boolean created) {

    public static final String FILE_NAME = "api-token";
    private static final int TOKEN_BYTES = 24;

    public static ApiToken loadOrCreate(Path dataDir) throws IOException {
        OwnerOnly.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return new ApiToken(read(file), false);
        }
        byte[] bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // Another process made it between the check and here: use theirs.
            return new ApiToken(read(file), false);
        }
        OwnerOnly.restrict(file);
        Files.writeString(file, token + "\n", UTF_8);
        return new ApiToken(token, true);
    }

    private static String read(Path file) throws IOException {
        String token = Files.readString(file, UTF_8).trim();
        if (token.isEmpty()) {
            throw new IOException(file + " is empty: delete it to have a new token made");
        }
        return token;
    }
}

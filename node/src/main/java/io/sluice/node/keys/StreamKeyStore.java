package io.sluice.node.keys;

import io.sluice.node.OwnerOnly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Publish keys, persisted in an embedded H2 database under the data directory.
 *
 * <p>H2 runs in {@code AUTO_SERVER} mode so that {@code ./sluice keys create} can add a key while a node
 * holds the same database open: the first process serves the file to the others over loopback. Every
 * call opens its own connection; key checks happen once per publish, not per packet.
 */
public final class StreamKeyStore implements AutoCloseable {

    /** liveIds are path segments of {@code rtsp://HOST/live/NAME}: keep them URL- and file-safe. */
    public static final Pattern LIVE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int CODE_LENGTH = 20;

    private final String jdbcUrl;
    private final SecureRandom random = new SecureRandom();
    private final Connection keepAlive;

    private StreamKeyStore(String jdbcUrl) throws SQLException {
        this.jdbcUrl = jdbcUrl;
        // Holding one connection keeps the database open between calls instead of reopening the file each time.
        this.keepAlive = DriverManager.getConnection(jdbcUrl, "sluice", "");
        try (Statement st = keepAlive.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS stream_keys ("
                    + "live_id VARCHAR(128) PRIMARY KEY, "
                    + "live_code VARCHAR(64) NOT NULL, "
                    + "created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
        }
    }

    /**
     * Opens (creating when absent) the key database in {@code dataDir}. The keys are secrets: a data
     * directory this call creates is its owner's alone, and so is the database file.
     */
    public static StreamKeyStore open(Path dataDir) {
        try {
            OwnerOnly.createDirectories(dataDir);
            String file = dataDir.toAbsolutePath().resolve("sluice").toString();
            StreamKeyStore store = new StreamKeyStore("jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE");
            try {
                Path db = Path.of(file + ".mv.db");
                if (Files.exists(db)) {
                    OwnerOnly.restrict(db);
                }
            } catch (Exception e) {
                store.close();
                throw e;
            }
            return store;
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the key database in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The database's JDBC URL: other tables of the node's state live in the same file. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** Issues a new key for {@code liveId}, or answers the existing one: issuing is idempotent. */
    public StreamKey create(String liveId) {
        requireValidLiveId(liveId);
        Optional<StreamKey> existing = find(liveId);
        if (existing.isPresent()) {
            return existing.get();
        }
        String code = newCode();
        try (Connection c = connect();
             PreparedStatement st = c.prepareStatement(
                     "MERGE INTO stream_keys (live_id, live_code) KEY (live_id) VALUES (?, ?)")) {
            st.setString(1, liveId);
            st.setString(2, code);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the key of " + liveId, e);
        }
        return find(liveId).orElseThrow();
    }

    public Optional<StreamKey> find(String liveId) {
        if (liveId == null || !LIVE_ID.matcher(liveId).matches()) {
            return Optional.empty();
        }
        try (Connection c = connect();
             PreparedStatement st = c.prepareStatement("SELECT live_code FROM stream_keys WHERE live_id = ?")) {
            st.setString(1, liveId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new StreamKey(liveId, rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the key of " + liveId, e);
        }
    }

    public List<StreamKey> list() {
        List<StreamKey> keys = new ArrayList<>();
        try (Connection c = connect();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT live_id, live_code FROM stream_keys ORDER BY live_id")) {
            while (rs.next()) {
                keys.add(new StreamKey(rs.getString(1), rs.getString(2)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list keys", e);
        }
        return keys;
    }

    /** Removes the key; answers whether there was one. */
    public boolean revoke(String liveId) {
        try (Connection c = connect();
             PreparedStatement st = c.prepareStatement("DELETE FROM stream_keys WHERE live_id = ?")) {
            st.setString(1, liveId);
            return st.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot revoke the key of " + liveId, e);
        }
    }

    /** True when {@code liveCode} is the key of {@code liveId}; the comparison takes constant time. */
    public boolean verify(String liveId, String liveCode) {
        if (liveCode == null) {
            return false;
        }
        return find(liveId)
                .map(k -> MessageDigest.isEqual(k.liveCode().getBytes(UTF_8), liveCode.getBytes(UTF_8)))
                .orElse(false);
    }

    public static void requireValidLiveId(String liveId) {
        if (liveId == null || !LIVE_ID.matcher(liveId).matches()) {
            throw new IllegalArgumentException("liveId must be 1-128 characters of A-Z a-z 0-9 . _ - "
                    + "starting with a letter or digit: " + liveId);
        }
    }

    private String newCode() {
        StringBuilder sb = new StringBuilder(CODE_LENGTH);
        for (int i = 0; i < CODE_LENGTH; i++) {
            sb.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
        }
        return sb.toString();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "sluice", "");
    }

    @Override
    public void close() {
        try {
            keepAlive.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close the key database", e);
        }
    }
}

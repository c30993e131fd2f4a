package io.sluice.api.config;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings changed through the API, kept in the node's embedded database (the key store's file) so
 * they outlive a restart. Values are stored as JSON text; the table knows nothing of their meaning.
 */
public final class RuntimeConfigStore {

    private final String jdbcUrl;

    public RuntimeConfigStore(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS runtime_config ("
                    + "config_key VARCHAR(64) PRIMARY KEY, "
                    + "config_value VARCHAR(4096) NOT NULL, "
                    + "updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the runtime_config table", e);
        }
    }

    /** Every stored setting, key to JSON text. */
    public Map<String, String> load() {
        Map<String, String> values = new LinkedHashMap<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT config_key, config_value FROM runtime_config ORDER BY config_key")) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read runtime_config", e);
        }
        return values;
    }

    /** Sets {@code put} and removes {@code remove} in one transaction. */
    public void update(Map<String, String> put, Collection<String> remove) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement merge = c.prepareStatement(
                         "MERGE INTO runtime_config (config_key, config_value, updated_at) KEY (config_key) "
                                 + "VALUES (?, ?, CURRENT_TIMESTAMP)");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM runtime_config WHERE config_key = ?")) {
                for (Map.Entry<String, String> e : put.entrySet()) {
                    merge.setString(1, e.getKey());
                    merge.setString(2, e.getValue());
                    merge.executeUpdate();
                }
                for (String key : remove) {
                    delete.setString(1, key);
                    delete.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write runtime_config", e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "sluice", "");
    }
}

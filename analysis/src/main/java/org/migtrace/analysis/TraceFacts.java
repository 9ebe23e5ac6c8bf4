package org.migtrace.analysis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import org.migtrace.trace.Manifest;

/**
 * The manifest's facts as two small tables the views and rules join: {@code trace_info} (one row:
 * page size, guest memory, lost events, completeness, source) and {@code devices} (one row per
 * assigned device: protocol, migration features, IOMMU backend, dirty tracking).
 */
final class TraceFacts {

    private TraceFacts() {
    }

    static void write(Connection conn, Manifest m) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE trace_info (source_kind VARCHAR, page_size BIGINT,"
                    + " guest_memory BIGINT, lost_events BIGINT, complete BOOLEAN, scenario VARCHAR, seed BIGINT)");
            s.execute("CREATE OR REPLACE TABLE devices (host VARCHAR, name VARCHAR, protocol VARCHAR,"
                    + " features VARCHAR, driver VARCHAR, iommu_backend VARCHAR, dirty_tracking VARCHAR)");
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO trace_info VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, m.source() == null ? null : m.source().kind());
            setLong(ps, 2, m.pageSize());
            setLong(ps, 3, m.guestMemory());
            ps.setLong(4, m.lostEvents());
            ps.setBoolean(5, m.complete());
            ps.setString(6, m.scenario() == null ? null : m.scenario().name());
            setLong(ps, 7, m.scenario() == null ? null : m.scenario().seed());
            ps.execute();
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO devices VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Manifest.DeviceInfo d : m.devices()) {
                ps.setString(1, d.host());
                ps.setString(2, d.name());
                ps.setString(3, d.protocol());
                ps.setString(4, String.join("|", d.features()));
                ps.setString(5, d.driver());
                ps.setString(6, d.iommuBackend());
                ps.setString(7, d.dirtyTracking());
                ps.execute();
            }
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }
}

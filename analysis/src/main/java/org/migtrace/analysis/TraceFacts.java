package org.migtrace.analysis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import org.migtrace.trace.Manifest;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.MigrationFlag;
import org.migtrace.uapi.V2Fsm;

/**
 * The manifest's facts as two small tables the views and rules join: {@code trace_info} (one row:
 * page size, guest memory, lost events, completeness, source) and {@code devices} (one row per
 * assigned device: protocol, migration features and their flag bits, IOMMU backend, dirty
 * tracking), and the reference table {@code v2_walks} of the v2 state machine.
 */
final class TraceFacts {

    private TraceFacts() {
    }

    static void write(Connection conn, Manifest m) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE trace_info (source_kind VARCHAR, page_size BIGINT,"
                    + " guest_memory BIGINT, lost_events BIGINT, complete BOOLEAN, scenario VARCHAR, seed BIGINT)");
            s.execute("CREATE OR REPLACE TABLE devices (host VARCHAR, name VARCHAR, protocol VARCHAR,"
                    + " features VARCHAR, flags INTEGER, driver VARCHAR, iommu_backend VARCHAR, dirty_tracking VARCHAR)");
            s.execute("CREATE OR REPLACE TABLE v2_walks (flags INTEGER, from_state VARCHAR, to_state VARCHAR,"
                    + " walk_current VARCHAR, walk_6_2 VARCHAR)");
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
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO devices VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Manifest.DeviceInfo d : m.devices()) {
                ps.setString(1, d.host());
                ps.setString(2, d.name());
                ps.setString(3, d.protocol());
                ps.setString(4, String.join("|", d.features()));
                ps.setInt(5, flags(d.features()));
                ps.setString(6, d.driver());
                ps.setString(7, d.iommuBackend());
                ps.setString(8, d.dirtyTracking());
                ps.execute();
            }
        }
        writeWalks(conn);
    }

    /** The v2 migration flags a device's feature names make (unknown names are ignored). */
    static int flags(List<String> features) {
        int mask = 0;
        for (MigrationFlag f : MigrationFlag.values()) {
            if (features.contains(f.name())) {
                mask |= f.bit();
            }
        }
        return mask;
    }

    /**
     * The kernel's answer to every SET (from, to) for every flag set that includes STOP_COPY, on
     * current kernels and on 6.2-7.1 ({@link V2Fsm}, the uapi module's model of
     * vfio_mig_get_next_state): the table the v2 rules join.
     */
    private static void writeWalks(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO v2_walks VALUES (?, ?, ?, ?, ?)")) {
            for (int flags = 0; flags < 8; flags++) {
                if ((flags & MigrationFlag.STOP_COPY.bit()) == 0) {
                    continue;
                }
                for (MigState from : MigState.values()) {
                    for (MigState to : MigState.values()) {
                        ps.setInt(1, flags);
                        ps.setString(2, from.name());
                        ps.setString(3, to.name());
                        ps.setString(4, V2Fsm.walk(from, to, flags, V2Fsm.Kernel.CURRENT).label());
                        ps.setString(5, V2Fsm.walk(from, to, flags, V2Fsm.Kernel.V6_2_TO_7_1).label());
                        ps.addBatch();
                    }
                }
            }
            ps.executeBatch();
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

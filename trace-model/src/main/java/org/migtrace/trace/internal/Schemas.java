package org.migtrace.trace.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.migtrace.trace.Column;
import org.migtrace.trace.ColumnType;
import org.migtrace.trace.Table;

/**
 * The Arrow schema of each table: plain {@code Int64}, {@code Int32} and {@code Utf8} fields in the
 * columns' order, no dictionaries, so that pyarrow, DuckDB and Arrow Java open the files as they are.
 */
public final class Schemas {

    private static final ArrowType INT64 = new ArrowType.Int(64, true);
    private static final ArrowType INT32 = new ArrowType.Int(32, true);
    private static final ArrowType UTF8 = ArrowType.Utf8.INSTANCE;

    private Schemas() {
    }

    /** The schema a writer of this format version writes for {@code table}. */
    public static Schema of(Table table) {
        List<Field> fields = new ArrayList<>();
        for (Column c : table.columns()) {
            fields.add(new Field(c.column(), new FieldType(c.nullable(), arrowType(c.type()), null), null));
        }
        return new Schema(fields);
    }

    public static ArrowType arrowType(ColumnType type) {
        return switch (type) {
            case INT64 -> INT64;
            case INT32 -> INT32;
            case UTF8 -> UTF8;
        };
    }

    /** {@code int64}, {@code int32}, {@code utf8}: the names the docs and error messages use. */
    public static String typeName(ColumnType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Checks a file's schema against the table's columns: every non-null column present, every known
     * column of its documented type. Columns the table does not know are allowed (a newer minor
     * version added them); a nullable column the file lacks reads as null.
     *
     * @return null when the schema is acceptable, else what is wrong
     */
    public static String mismatch(Table table, Schema schema) {
        for (Column c : table.columns()) {
            Field f = find(schema, c.column());
            if (f == null) {
                if (!c.nullable()) {
                    return "column " + c.column() + " is missing (" + table.tableName() + " requires it)";
                }
                continue;
            }
            if (!f.getType().equals(arrowType(c.type())) || !f.getChildren().isEmpty()) {
                return "column " + c.column() + " has type " + f.getType() + ", expected " + arrowType(c.type());
            }
            if (f.getDictionary() != null) {
                return "column " + c.column() + " is dictionary-encoded; the format stores plain values";
            }
        }
        return null;
    }

    /** The field named {@code name}, or null. */
    public static Field find(Schema schema, String name) {
        for (Field f : schema.getFields()) {
            if (f.getName().equals(name)) {
                return f;
            }
        }
        return null;
    }
}

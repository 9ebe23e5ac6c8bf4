package org.migtrace.sim.scenario.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import org.migtrace.sim.scenario.AccessPattern;
import org.migtrace.sim.scenario.ByteSize;
import org.migtrace.sim.scenario.CpuVendor;
import org.migtrace.sim.scenario.DataRate;
import org.migtrace.sim.scenario.DirtyTracking;
import org.migtrace.sim.scenario.DriverModel;
import org.migtrace.sim.scenario.Durations;
import org.migtrace.sim.scenario.IommuBackend;
import org.migtrace.sim.scenario.Labeled;
import org.migtrace.sim.scenario.PageRate;
import org.migtrace.sim.scenario.Protocol;
import org.migtrace.sim.scenario.V1DataSection;
import org.migtrace.uapi.MigrationFlag;

/**
 * How scenario files spell values: sizes, rates and durations with units, vocabulary by label. Each
 * bad value is reported at its own token, with a message saying what was expected.
 */
public final class ScenarioModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    public ScenarioModule() {
        super("migtrace-scenario");
        // Text as written: YAML 1.1 would read the PCI address 0000:00:05.0 as a sexagesimal float
        // and a version 9.10 as the number 9.1.
        scalar(String.class, text -> text);
        scalar(ByteSize.class, ByteSize::parse);
        scalar(DataRate.class, DataRate::parse);
        scalar(PageRate.class, PageRate::parse);
        scalar(Duration.class, Durations::parse);
        scalar(MigrationFlag.class, ScenarioModule::flag);
        label(CpuVendor.class);
        label(IommuBackend.class);
        label(Protocol.class);
        label(DriverModel.class);
        label(DirtyTracking.class);
        label(AccessPattern.class);
        label(V1DataSection.class);
    }

    private <E extends Enum<E> & Labeled> void label(Class<E> type) {
        scalar(type, text -> Labeled.parse(type, text));
    }

    private <T> void scalar(Class<T> type, Function<String, T> parse) {
        addDeserializer(type, new Scalar<>(type, parse));
    }

    private static MigrationFlag flag(String text) {
        try {
            return MigrationFlag.valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown migration feature '" + text
                    + "' (expected one of stop-copy, p2p, pre-copy)", e);
        }
    }

    /** A value written as one scalar (string or number) and parsed from its text. */
    private static final class Scalar<T> extends JsonDeserializer<T> {
        private final Class<T> type;
        private final Function<String, T> parse;

        Scalar(Class<T> type, Function<String, T> parse) {
            this.type = type;
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (!t.isScalarValue() || t == JsonToken.VALUE_NULL) {
                throw InvalidFormatException.from(p, "expected a single value, not " + describe(t), null, type);
            }
            String text = p.getText();
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), text, type);
            }
        }

        private static String describe(JsonToken t) {
            switch (t) {
                case START_OBJECT:
                    return "a mapping";
                case START_ARRAY:
                    return "a list";
                default:
                    return String.valueOf(t);
            }
        }
    }
}

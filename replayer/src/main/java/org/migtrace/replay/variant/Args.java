package org.migtrace.replay.variant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import org.migtrace.trace.RecordedEvent;

/** A recorded call's {@code args.in}, for variants whose bug depends on an argument the columns lack. */
final class Args {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Args() {
    }

    static JsonNode in(RecordedEvent e) {
        if (e.args() == null) {
            return MissingNode.getInstance();
        }
        try {
            return MAPPER.readTree(e.args()).path("in");
        } catch (IOException ex) {
            return MissingNode.getInstance();
        }
    }
}

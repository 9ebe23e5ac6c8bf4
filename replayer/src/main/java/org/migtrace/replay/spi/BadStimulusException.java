package org.migtrace.replay.spi;

/**
 * A target could not read a stimulus: the recorded row is malformed (its {@code args} is no JSON,
 * a member has the wrong type). The replayer reports it as a bad trace naming the event's
 * {@code seq}; it is not a divergence.
 */
public class BadStimulusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadStimulusException(String message, Throwable cause) {
        super(message, cause);
    }
}

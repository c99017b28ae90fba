package io.github.sessiongate;

import java.util.Objects;

/**
 * A setting that cannot be used: unknown, malformed, missing or dangerous. Always names the
 * parameter and says how to fix it, so that start-up fails with a message an operator can act on.
 * {@link SessionFilter#init} turns it into a {@link jakarta.servlet.ServletException}.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String parameter;

    /**
     * @param parameter the init-param (or builder property) at fault
     * @param problem what is wrong and how to fix it; never the offending secret value
     */
    public ConfigException(String parameter, String problem) {
        super("init-param '" + Objects.requireNonNull(parameter, "parameter") + "': "
                + Objects.requireNonNull(problem, "problem"));
        this.parameter = parameter;
    }

    /** The parameter at fault. */
    public String parameter() {
        return parameter;
    }
}

package io.github.sessiongate.internal;

import io.github.sessiongate.ConfigException;
import java.util.regex.Pattern;

/**
 * The shapes of the field names the filter sends to a backend and the JSON paths it reads back,
 * checked where the settings are made so a bad one fails start-up naming its parameter.
 */
public final class FieldNames {
    private static final Pattern FORM_FIELD = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern JSON_PATH = Pattern.compile("[A-Za-z0-9_:/$@-]+(\\.[A-Za-z0-9_:/$@-]+)*");

    private FieldNames() {
    }

    /** A request field: 1 to 64 letters, digits, '_', '.', ':' or '-'. */
    public static String requestField(String parameter, String value) {
        if (!FORM_FIELD.matcher(value).matches()) {
            throw new ConfigException(parameter, "must be a field name of letters, digits, "
                    + "'_', '.', ':' or '-', not '" + value + "'");
        }
        return value;
    }

    /** A field path in a JSON answer: a member name or a dotted path of names. */
    public static String jsonPath(String parameter, String value) {
        if (!JSON_PATH.matcher(value).matches()) {
            throw new ConfigException(parameter, "must be a JSON member name or a dotted path such as "
                    + "data.access_token, not '" + value + "'");
        }
        return value;
    }
}

package io.github.sessiongate.internal;

import io.github.sessiongate.ValidationResult.Reason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Turns jose4j's error codes into our fixed refusal reasons, the same way for every JWT the
 * filter checks (access, guest and client tokens). Internal; not for application code.
 */
public final class JoseRefusals {
    /** jose4j error code to reason; any code not listed is {@link Reason#MALFORMED}. */
    private static final Map<Integer, Reason> REASON_BY_CODE = Map.ofEntries(
            Map.entry(ErrorCodes.ISSUER_MISSING, Reason.WRONG_ISSUER),
            Map.entry(ErrorCodes.ISSUER_INVALID, Reason.WRONG_ISSUER),
            Map.entry(ErrorCodes.AUDIENCE_MISSING, Reason.WRONG_AUDIENCE),
            Map.entry(ErrorCodes.AUDIENCE_INVALID, Reason.WRONG_AUDIENCE),
            Map.entry(ErrorCodes.SUBJECT_MISSING, Reason.NO_SUBJECT),
            Map.entry(ErrorCodes.SUBJECT_INVALID, Reason.NO_SUBJECT),
            Map.entry(ErrorCodes.EXPIRATION_MISSING, Reason.MISSING_CLAIM),
            Map.entry(ErrorCodes.ISSUED_AT_MISSING, Reason.MISSING_CLAIM),
            Map.entry(ErrorCodes.NOT_BEFORE_MISSING, Reason.MISSING_CLAIM),
            Map.entry(ErrorCodes.JWT_ID_MISSING, Reason.MISSING_CLAIM),
            Map.entry(ErrorCodes.TYPE_MISSING, Reason.WRONG_TOKEN_TYPE),
            Map.entry(ErrorCodes.TYPE_INVALID, Reason.WRONG_TOKEN_TYPE),
            Map.entry(ErrorCodes.NOT_YET_VALID, Reason.NOT_YET_VALID),
            Map.entry(ErrorCodes.ISSUED_AT_INVALID_FUTURE, Reason.ISSUED_IN_FUTURE),
            Map.entry(ErrorCodes.ISSUED_AT_INVALID_PAST, Reason.LIFETIME_TOO_LONG),
            Map.entry(ErrorCodes.EXPIRATION_TOO_FAR_IN_FUTURE, Reason.LIFETIME_TOO_LONG),
            Map.entry(ErrorCodes.SIGNATURE_INVALID, Reason.BAD_SIGNATURE),
            Map.entry(ErrorCodes.SIGNATURE_MISSING, Reason.DISALLOWED_ALGORITHM));

    private JoseRefusals() {
    }

    /**
     * The reason for a jose4j failure: of all reported problems, the first in {@code precedence};
     * empty when the only problem is expiry (the claims are otherwise genuine). Never reads the
     * exception's message, which quotes the token.
     */
    public static Optional<Reason> reasonOf(InvalidJwtException e, List<Reason> precedence) {
        Reason best = null;
        boolean expired = false;
        for (ErrorCodeValidator.Error error : e.getErrorDetails()) {
            if (error.getErrorCode() == ErrorCodes.EXPIRED) {
                expired = true;
                continue;
            }
            Reason reason = REASON_BY_CODE.getOrDefault(error.getErrorCode(), Reason.MALFORMED);
            if (best == null || rank(precedence, reason) < rank(precedence, best)) {
                best = reason;
            }
        }
        if (best == null && expired) {
            return Optional.empty();
        }
        return Optional.of(best != null ? best : Reason.MALFORMED);
    }

    private static int rank(List<Reason> precedence, Reason reason) {
        return precedence.indexOf(reason);
    }
}

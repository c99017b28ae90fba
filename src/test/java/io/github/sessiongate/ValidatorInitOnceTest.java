package io.github.sessiongate;

import io.github.sessiongate.engine.Components;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A validator named by {@code validator-class} gets its {@code init} hook exactly once, from the
 * composition root, right after construction and before any validation; one built in code is
 * ready as built and never gets it.
 */
class ValidatorInitOnceTest {

    /** Records its init calls and whether a validation came first. */
    public static final class CountingValidator extends TokenValidator {
        int inits;
        int validationsBeforeInit;
        Clock clock;
        String setting;

        @Override
        protected void init(InitParams params, Clock clock) {
            inits++;
            this.clock = clock;
            this.setting = params.require("counting.setting", "anything");
        }

        @Override
        protected ValidationResult doValidate(String token) {
            if (inits == 0) {
                validationsBeforeInit++;
            }
            return ValidationResult.invalid(ValidationResult.Reason.REJECTED_BY_BACKEND);
        }
    }

    @Test
    void aValidatorNamedByClassIsInitialisedExactlyOnceByTheCompositionRoot() {
        Clock clock = Clock.systemUTC();
        Components components = Components.fromInitParams(Map.of(
                GateConfig.PARAM_VALIDATOR_CLASS, CountingValidator.class.getName(),
                "counting.setting", "x"), clock);
        try {
            CountingValidator v = (CountingValidator) components.config().validator();
            assertEquals(1, v.inits);
            assertEquals("x", v.setting);
            assertSame(clock, v.clock);
            v.validate("a.b.c");
            assertEquals(0, v.validationsBeforeInit);
            assertThrows(IllegalStateException.class, () -> v.initOnce(InitParams.resolve(Map.of()), clock),
                    "a second init is a programming error");
            assertEquals(1, v.inits);
        } finally {
            components.close();
        }
    }

    @Test
    void aValidatorBuiltInCodeIsNotInitialisedByTheFilter() {
        CountingValidator v = new CountingValidator();
        Components components = Components.fromConfig(GateConfig.builder().validator(v).build());
        components.close();
        assertEquals(0, v.inits, "ready as built: no configure call from the filter");
    }
}

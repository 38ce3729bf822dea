package io.kdpipe.notifier;

import java.util.ArrayList;
import java.util.List;

import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The notifier integration tests' shared set-up. Register it on an instance field:
 * <pre>{@code @RegisterExtension final NotifierExtension notifiers = new NotifierExtension();}</pre>
 * Each test opens its {@link NotifierFixture} (unique topics on the shared broker, its own DingTalk
 * sandbox) with {@link #open}; after the test, nothing logged may leak a secret, and every fixture
 * it opened is closed. The broker is {@link KafkaBrokerExtension}'s, one per test JVM.
 */
final class NotifierExtension implements BeforeEachCallback, AfterEachCallback {

    private static final KafkaBrokerExtension BROKERS = new KafkaBrokerExtension();

    private final List<NotifierFixture> opened = new ArrayList<>();
    private KafkaBroker broker;

    @Override
    public void beforeEach(ExtensionContext context) {
        ConditionEvaluationResult condition = BROKERS.evaluateExecutionCondition(context);
        Assumptions.assumeFalse(condition.isDisabled(), () -> condition.getReason().orElse("no broker"));
        // the broker extension hands out its one broker whatever parameter asks for it
        broker = (KafkaBroker) BROKERS.resolveParameter(null, context);
    }

    /** A fixture for this test, with a DingTalk sandbox built from {@code sandboxOptions}. */
    NotifierFixture open(DingTalkSandboxOptions.Builder sandboxOptions) {
        NotifierFixture fx = new NotifierFixture(broker, sandboxOptions);
        opened.add(fx);
        return fx;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            for (NotifierFixture fx : opened) {
                fx.assertNoSecretsLogged();
            }
        } finally {
            for (int i = opened.size() - 1; i >= 0; i--) {
                opened.get(i).close();
            }
            opened.clear();
        }
    }
}

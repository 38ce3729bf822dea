package io.kdpipe.common.runtime;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import io.kdpipe.common.config.ConfigException;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;

/**
 * The {@code main} every service shares: a configuration with problems, or one the upstream system
 * refuses as the service starts, exits 2 listing them all; the
 * runtime is built, the service started on it, then the runtime's HTTP endpoint; the process exits 1
 * after the service failed for good, 0 after a clean stop.
 */
public final class ServiceMain {

    /** Starts a service on {@code runtime} and answers whether it has failed for good. */
    @FunctionalInterface
    public interface Starter<C> {
        BooleanSupplier start(C config, ServiceRuntime runtime);
    }

    private ServiceMain() {
    }

    /**
     * Reads the service's config from the environment, starts it on a runtime named {@code service}
     * listening on {@code httpPort}, and exits when the runtime is closed.
     */
    public static <C> void run(String service, Function<ConfigReader, C> readConfig, ToIntFunction<C> httpPort,
            Starter<C> starter) throws InterruptedException {
        C config;
        try {
            config = readConfig.apply(new ConfigReader(ConfigSource.fromEnvironment()));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ServiceRuntime runtime = new ServiceRuntime(service, httpPort.applyAsInt(config));
        BooleanSupplier failed;
        try {
            failed = starter.start(config, runtime);
        } catch (ConfigException e) {
            // a setting the upstream system refuses at start (e.g. a field list Kingdee rejects)
            System.err.println(e.getMessage());
            runtime.close();
            System.exit(2);
            return;
        }
        runtime.start().installShutdownHook();
        runtime.awaitShutdown();
        System.exit(failed.getAsBoolean() ? 1 : 0);
    }

    /**
     * Starts a service with its own runtime named {@code service} and its HTTP endpoint on {@code httpPort},
     * for hosts that run it in process; closing the returned runtime stops everything in reverse order.
     * When {@code start} fails the runtime is closed again.
     */
    public static ServiceRuntime startInProcess(String service, int httpPort, Consumer<ServiceRuntime> start) {
        ServiceRuntime runtime = new ServiceRuntime(service, httpPort);
        try {
            start.accept(runtime);
            return runtime.start();
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }
}

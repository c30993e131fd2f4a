package io.sluice.systemtest.harness;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives each test a {@link SystemTestRun} parameter; when the test fails, appends the server's and
 * the peers' log tails to the failure; after the test, stops everything and fails the test if the
 * server's log has a Netty leak report.
 */
public final class SystemTestExtension implements ParameterResolver, TestExecutionExceptionHandler, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SystemTestExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SystemTestRun.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(SystemTestRun.class, key -> new SystemTestRun(dirOf(context)),
                SystemTestRun.class);
    }

    private static Path dirOf(ExtensionContext context) {
        Path root = Path.of(System.getProperty("sluice.systemtest.dir", "target/system-tests")).toAbsolutePath();
        String method = context.getRequiredTestMethod().getName();
        String display = context.getDisplayName();
        // A parameterized invocation's display name ("[2] tcp, udp") tells the invocations apart.
        String test = display.startsWith(method) ? method : method + "-" + display.replaceAll("[^A-Za-z0-9_=-]+", "_");
        return root.resolve(context.getRequiredTestClass().getSimpleName()).resolve(test);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        SystemTestRun run = context.getStore(NAMESPACE).get(SystemTestRun.class, SystemTestRun.class);
        if (run == null || failure instanceof org.opentest4j.TestAbortedException) {
            throw failure;
        }
        AssertionError withLogs = new AssertionError(failure.getMessage() + "\n" + run.report(), failure);
        withLogs.setStackTrace(failure.getStackTrace());
        throw withLogs;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        SystemTestRun run = context.getStore(NAMESPACE).remove(SystemTestRun.class, SystemTestRun.class);
        if (run == null) {
            return;
        }
        run.close();
        List<String> leaks = run.serverLeakLines();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Sluice's log reports " + leaks.size() + " Netty leak(s):\n" + String.join("\n", leaks)
                    + "\n" + run.report());
        }
    }
}

package org.khabri.searchnode;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One real OpenSearch node, started from the server's Maven artifacts with its modules given as classpath
 * plugins, the way OpenSearch's own test framework (MockNode) starts nodes: the same engine, REST API and
 * cluster coordination as the packaged distribution, without its launcher's bootstrap checks and
 * security-manager policy, which is fine for a node bound to 127.0.0.1.
 *
 * <p>Every argument is one setting, {@code key=value} (for example {@code http.port=9201}); {@code path.home}
 * is required. The process runs until it is signalled; SIGTERM closes the node cleanly.
 */
public final class SearchNode extends Node {

    private static final List<Class<? extends Plugin>> PLUGINS =
        List.of(Netty4Plugin.class, CommonAnalysisPlugin.class);

    private SearchNode(Environment environment) {
        // forbidPrivateIndexSettings=true, as a production node has it.
        super(environment, PLUGINS, true);
    }

    public static void main(String[] args) throws Exception {
        Settings.Builder settings = Settings.builder();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("expected key=value, got: " + arg);
                System.exit(2);
            }
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Settings built = settings.build();
        if (!built.hasValue("path.home")) {
            System.err.println("path.home=DIR is required");
            System.exit(2);
        }
        Path config = Path.of(built.get("path.home"), "config");
        java.nio.file.Files.createDirectories(config);
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            built, Collections.emptyMap(), config, () -> built.get("node.name", "khabri"));
        SearchNode node = new SearchNode(environment);
        // OpenSearch's own threads are daemon threads: without this latch main would return and the JVM exit.
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }, "khabri-node-shutdown"));
        node.start();
        System.out.println("khabri-opensearch-node started " + built.get("node.name", ""));
        System.out.flush();
        closed.await();
    }
}

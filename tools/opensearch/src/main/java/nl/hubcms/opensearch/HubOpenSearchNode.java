package nl.hubcms.opensearch;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single-node OpenSearch 2.19 for development and CI: the server jar with its plugins loaded from
 * the classpath, as OpenSearch's own test framework (MockNode) starts a node, instead of unpacking
 * the distribution tarball.
 *
 * <p>HTTP listens on 127.0.0.1 only (port from -Dhub.opensearch.port, default 9200); there is no
 * security plugin, so nothing but this machine can reach it. Data and logs live under
 * -Dhub.opensearch.home (start.sh passes tools/opensearch/var). The process runs until it gets
 * SIGTERM (stop.sh), then closes the node cleanly.
 */
public final class HubOpenSearchNode {

    /** The plugins the official image has as modules and the hub's index uses. */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class, // HTTP and transport
        CommonAnalysisPlugin.class, // dutch analyzer, synonym_graph, asciifolding, decompounder, edge_ngram
        MapperExtrasPlugin.class // search_as_you_type, rank_feature, scaled_float
    );

    /** Node's classpath-plugin constructor is protected: the test framework's MockNode uses it the same way. */
    static final class ClasspathPluginNode extends Node {
        ClasspathPluginNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    static final String NODE_NAME = "hubcms-node-1";

    private HubOpenSearchNode() {}

    static Settings settings(Path home, int port) {
        return Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", System.getProperty("hub.opensearch.cluster", "hubcms"))
            .put("node.name", NODE_NAME)
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", "9300-9399")
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            // A developer's disk is often fuller than a server's: do not turn indices read-only at 95%.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            // One node: replicas could never be assigned and would keep the cluster yellow.
            .put("cluster.default_number_of_replicas", 0)
            .build();
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("hub.opensearch.home", "var")).toAbsolutePath().normalize();
        int port = Integer.getInteger("hub.opensearch.port", 9200);
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));

        Settings settings = settings(home, port);
        // Log INFO and up to stdout (start.sh sends it to var/logs/opensearch.log).
        try (InputStream logConfig = HubOpenSearchNode.class.getResourceAsStream("/log4j2.properties")) {
            Files.copy(logConfig, home.resolve("config").resolve("log4j2.properties"), StandardCopyOption.REPLACE_EXISTING);
        }
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings,
            Collections.emptyMap(),
            home.resolve("config"),
            () -> NODE_NAME
        );
        LogConfigurator.setNodeName(NODE_NAME);
        LogConfigurator.configure(environment);

        long started = System.nanoTime();
        Node node = new ClasspathPluginNode(environment, PLUGINS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "hubcms-opensearch-shutdown"));
        node.start();
        System.out.printf(
            "hubcms OpenSearch node started on http://127.0.0.1:%d in %d ms (home %s)%n",
            port,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
            home
        );
        stopped.await();
    }
}

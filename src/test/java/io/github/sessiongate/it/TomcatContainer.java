package io.github.sessiongate.it;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * Embedded Tomcat 11: one context per webapp from its exploded directory, no default web.xml (the
 * test webapps map their own default servlet), no class-path jar scanning (speed), the test class
 * loader as the webapps' parent.
 */
final class TomcatContainer implements Container {
    private final Map<String, Context> contexts = new LinkedHashMap<>();
    private final StringBuilder startupErrors = new StringBuilder();
    private Tomcat tomcat;
    private Path baseDir;

    @Override
    public String name() {
        return "tomcat";
    }

    @Override
    public URI start(List<Webapp> webapps) throws Exception {
        baseDir = Files.createTempDirectory("sessiongate-it-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(0);
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Connector connector = tomcat.getConnector();
        connector.setProperty("address", "127.0.0.1");
        tomcat.getHost().setAutoDeploy(false);
        for (Webapp webapp : webapps) {
            Context context = tomcat.addWebapp(webapp.contextPath(), webapp.dir().toAbsolutePath().toString());
            context.setParentClassLoader(TomcatContainer.class.getClassLoader());
            if (context.getJarScanner() instanceof StandardJarScanner scanner) {
                scanner.setScanClassPath(false);
                scanner.setScanManifest(false);
            }
            contexts.put(webapp.contextPath(), context);
        }
        // Tomcat reports a context's failed start only in its log (java.util.logging): keep it.
        Logger catalina = Logger.getLogger("org.apache.catalina");
        Handler collector = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    synchronized (startupErrors) {
                        startupErrors.append(record.getLoggerName()).append(": ").append(record.getMessage()).append('\n');
                        if (record.getThrown() != null) {
                            StringWriter trace = new StringWriter();
                            record.getThrown().printStackTrace(new PrintWriter(trace));
                            startupErrors.append(trace).append('\n');
                        }
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        catalina.addHandler(collector);
        try {
            tomcat.start();
        } finally {
            catalina.removeHandler(collector);
        }
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public Optional<String> startupFailure(String contextPath) {
        Context context = contexts.get(contextPath);
        if (context == null || context.getState().isAvailable()) {
            return Optional.empty();
        }
        synchronized (startupErrors) {
            return Optional.of(startupErrors.toString());
        }
    }

    @Override
    public void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
            tomcat = null;
        }
        if (baseDir != null) {
            try (Stream<Path> files = Files.walk(baseDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            baseDir = null;
        }
    }
}

package io.github.sessiongate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A class loader that simulates an optional dependency's absence: it hides every class under one
 * package prefix and defines SessionGate's classes under another prefix afresh from the parent's
 * class files, so they link against nothing the parent could see. What it defined is remembered,
 * so a test can prove a class was never loaded. The testing helpers stay the parent's.
 */
public final class HidingClassLoader extends ClassLoader {
    private final String hidden;
    private final String redefined;
    private final Set<String> defined = ConcurrentHashMap.newKeySet();

    /**
     * @param hidden the prefix of the classes to hide, such as {@code "io.micrometer."}
     * @param redefined the prefix of the classes to define here, such as {@code "io.github.sessiongate."}
     */
    public HidingClassLoader(ClassLoader parent, String hidden, String redefined) {
        super(parent);
        this.hidden = hidden;
        this.redefined = redefined;
    }

    /** The names of the classes this loader defined, so far. */
    public Set<String> defined() {
        return Set.copyOf(defined);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(hidden)) {
            throw new ClassNotFoundException(name);
        }
        if (!name.startsWith(redefined) || name.startsWith(HidingClassLoader.class.getPackageName() + ".")) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    byte[] b = in.readAllBytes();
                    c = defineClass(name, b, 0, b.length);
                    defined.add(name);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            return c;
        }
    }
}

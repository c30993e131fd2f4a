package io.sluice.node;

/** The version of the running build, from its jars' manifests; "dev" when run from compiled classes. */
public final class SluiceVersion {

    private SluiceVersion() {
    }

    /** The Implementation-Version of the jar that holds {@code c}. */
    public static String of(Class<?> c) {
        String v = c.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}

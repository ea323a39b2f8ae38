package io.azt3knet.mail.internal.http;

import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A value made on first use, once, whatever the number of threads asking: for what is costly to build and may never
 * be needed (a JDK HTTP client, a JSON mapper). A failure to build is thrown to the caller and tried again by the
 * next one.
 *
 * @param <T> the value's type
 */
final class Lazy<T> implements Supplier<T> {

    private @Nullable Supplier<? extends T> factory;
    private volatile @Nullable T value;

    private Lazy(@Nullable Supplier<? extends T> factory, @Nullable T value) {
        this.factory = factory;
        this.value = value;
    }

    /**
     * @param factory makes the value; called at most once successfully
     * @param <T> the value's type
     * @return a lazy value
     */
    static <T> Lazy<T> by(Supplier<? extends T> factory) {
        return new Lazy<>(Objects.requireNonNull(factory, "factory"), null);
    }

    /**
     * @param value a value already made
     * @param <T> its type
     * @return that value
     */
    static <T> Lazy<T> of(T value) {
        return new Lazy<>(null, Objects.requireNonNull(value, "value"));
    }

    /** @return whether the value has been made */
    boolean isMade() {
        return value != null;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    Supplier<? extends T> f = Objects.requireNonNull(factory);
                    v = Objects.requireNonNull(f.get(), "a lazy value's factory returned null");
                    value = v;
                    factory = null;
                }
            }
        }
        return v;
    }
}

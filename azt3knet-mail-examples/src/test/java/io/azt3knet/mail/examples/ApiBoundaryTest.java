package io.azt3knet.mail.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The published API boundary: every library jar is a named module, and no public or protected signature of an
 * exported package mentions a type from an {@code internal} package (what {@code javap -protected} would show).
 */
class ApiBoundaryTest {

    private static final List<Class<?>> LIBRARY_ANCHORS = List.of(io.azt3knet.mail.MailAutomation.class,
            io.azt3knet.mail.mailjet.MailjetProvisioner.class, io.azt3knet.mail.desec.DesecDnsManager.class,
            io.azt3knet.mail.sandbox.Sandbox.class, io.azt3knet.mail.test.sandbox.SandboxExtension.class);

    /**
     * The test kit's provider half: an automatic module (WireMock's shaded standalone jar carries Guava's module
     * descriptor, so no named module can require it), under the same API rule.
     */
    private static final List<Class<?>> TEST_KIT_ANCHORS = List.of(io.azt3knet.mail.test.fake.FakeMailjet.class);

    @Test
    void everyLibraryJarHasAModuleDescriptorThatExportsNoInternalPackageToEveryone() throws Exception {
        for (Class<?> anchor : LIBRARY_ANCHORS) {
            Path location = location(anchor);
            ModuleDescriptor descriptor;
            try (Stream<Path> s = Files.isDirectory(location) ? Stream.of(location.resolve("module-info.class")) : Stream.empty()) {
                Path info = s.findFirst().orElse(null);
                if (info != null) {
                    assertThat(info).as(anchor.getName() + ": module-info.class").exists();
                    try (var in = Files.newInputStream(info)) {
                        descriptor = ModuleDescriptor.read(in);
                    }
                } else {
                    try (JarFile jar = new JarFile(location.toFile())) {
                        assertThat(jar.getEntry("module-info.class")).as(location + ": module-info.class").isNotNull();
                        try (var in = jar.getInputStream(jar.getEntry("module-info.class"))) {
                            descriptor = ModuleDescriptor.read(in);
                        }
                    }
                }
            }
            assertThat(descriptor.name()).startsWith("io.azt3knet.mail.");
            assertThat(descriptor.exports()).filteredOn(e -> e.source().contains(".internal"))
                    .allSatisfy(e -> assertThat(e.isQualified()).as(e.source() + " is exported to everyone").isTrue());
        }
    }

    @Test
    void noPublicSignatureOfAnExportedPackageMentionsAnInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> anchor : Stream.concat(LIBRARY_ANCHORS.stream(), TEST_KIT_ANCHORS.stream()).toList()) {
            for (Class<?> type : publicTypes(location(anchor))) {
                check(type, leaks);
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static void check(Class<?> type, List<String> leaks) {
        if (type.getSuperclass() != null) {
            mention(type.getName() + " extends", type.getGenericSuperclass(), leaks);
        }
        for (Type i : type.getGenericInterfaces()) {
            mention(type.getName() + " implements", i, leaks);
        }
        for (Field f : type.getDeclaredFields()) {
            if (visible(f.getModifiers())) {
                mention(type.getName() + "." + f.getName(), f.getGenericType(), leaks);
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c.getModifiers())) {
                for (Type p : c.getGenericParameterTypes()) {
                    mention(type.getName() + ".<init>", p, leaks);
                }
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m.getModifiers()) && !m.isSynthetic()) {
                mention(type.getName() + "." + m.getName() + " returns", m.getGenericReturnType(), leaks);
                for (Type p : m.getGenericParameterTypes()) {
                    mention(type.getName() + "." + m.getName(), p, leaks);
                }
            }
        }
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void mention(String where, Type t, List<String> leaks) {
        if (t instanceof Class<?> c) {
            Class<?> base = c;
            while (base.isArray()) {
                base = base.getComponentType();
            }
            if (base.getPackageName().contains(".internal")) {
                leaks.add(where + ": " + base.getName());
            }
        } else if (t instanceof ParameterizedType p) {
            mention(where, p.getRawType(), leaks);
            for (Type a : p.getActualTypeArguments()) {
                mention(where, a, leaks);
            }
        } else if (t instanceof GenericArrayType g) {
            mention(where, g.getGenericComponentType(), leaks);
        } else if (t instanceof WildcardType w) {
            Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds())).forEach(b -> mention(where, b, leaks));
        } else if (t instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                if (!(b instanceof TypeVariable<?>)) {
                    mention(where, b, leaks);
                }
            }
        }
    }

    private static Path location(Class<?> anchor) throws URISyntaxException {
        return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Public (and nested public or protected) types of the exported, non-internal packages under a location. */
    private static List<Class<?>> publicTypes(Path location) throws IOException, ClassNotFoundException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                files.filter(f -> f.toString().endsWith(".class"))
                        .map(f -> location.relativize(f).toString().replace('/', '.'))
                        .forEach(names::add);
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class") && !n.startsWith("META-INF"))
                        .map(n -> n.replace('/', '.')).forEach(names::add);
            }
        }
        List<Class<?>> types = new ArrayList<>();
        for (String file : names) {
            String name = file.substring(0, file.length() - ".class".length());
            if (name.endsWith("module-info") || name.endsWith("package-info") || name.contains(".internal.")) {
                continue;
            }
            Class<?> c = Class.forName(name, false, ApiBoundaryTest.class.getClassLoader());
            if (isApi(c)) {
                types.add(c);
            }
        }
        return types;
    }

    private static boolean isApi(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (k.isAnonymousClass() || k.isLocalClass() || !visible(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }
}

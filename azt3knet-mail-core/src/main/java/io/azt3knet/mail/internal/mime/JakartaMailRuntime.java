package io.azt3knet.mail.internal.mime;

/**
 * Names Jakarta Mail's stream provider for the library, so that an application embedding it need not.
 *
 * <p>Jakarta Mail 2.1 looks its {@code StreamProvider} up again on every encoder, decoder and line stream it
 * creates (several per message part); without the system property {@value #PROPERTY} each lookup is a
 * {@link java.util.ServiceLoader} scan of the class path (jakartaee/mail-api#861), which cost more CPU than the
 * rest of rendering a small message. With the property it is one {@code Class.forName} and a constructor call.
 * The property is set only when it is absent and the implementation the library depends on (Eclipse Angus Mail)
 * is visible to the library's class loader; a value the application chose is left alone.
 */
public final class JakartaMailRuntime {

    /** The system property Jakarta Mail reads to find its stream provider. */
    public static final String PROPERTY = "jakarta.mail.util.StreamProvider";
    /** Eclipse Angus Mail's provider, the implementation the library ships with. */
    public static final String ANGUS_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    private static final boolean ANGUS_PRESENT = present();

    private JakartaMailRuntime() {
    }

    private static boolean present() {
        try {
            Class.forName(ANGUS_PROVIDER, false, JakartaMailRuntime.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Sets {@value #PROPERTY} to Angus' provider unless it is set already. Cheap (one property read): called
     * where the library is about to use Jakarta Mail.
     */
    public static void ensureStreamProvider() {
        if (ANGUS_PRESENT && System.getProperty(PROPERTY) == null) {
            try {
                System.setProperty(PROPERTY, ANGUS_PROVIDER);
            } catch (SecurityException e) {
                // a security manager forbids it: Jakarta Mail then looks the provider up as it does by default
            }
        }
    }
}

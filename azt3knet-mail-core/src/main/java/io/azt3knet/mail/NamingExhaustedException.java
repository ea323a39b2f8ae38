package io.azt3knet.mail;

/**
 * All 1,000 deterministic candidates for one base name within one second are taken. Name the agent
 * in another second (a later clock reading) or with a different name.
 */
public final class NamingExhaustedException extends MailException {

    private static final long serialVersionUID = 1L;

    private final String baseName;
    private final String second;

    /**
     * @param baseName the colliding base name, e.g. {@code "jane.doe"}
     * @param second the colliding timestamp, {@code yyyyMMddHHmmss}
     * @param candidates how many candidates were tried
     */
    public NamingExhaustedException(String baseName, String second, int candidates) {
        super("all " + candidates + " candidate addresses for '" + baseName + "' at " + second
                + " are taken; name these agents in another second or give them distinct names");
        this.baseName = baseName;
        this.second = second;
    }

    /** @return the colliding base name ({@code first.last}, with the prefix if any) */
    public String baseName() {
        return baseName;
    }

    /** @return the colliding second, {@code yyyyMMddHHmmss} */
    public String second() {
        return second;
    }
}

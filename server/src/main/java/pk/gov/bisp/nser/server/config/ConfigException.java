package pk.gov.bisp.nser.server.config;

/** A bad configuration value; the message names the setting (e.g. {@code organisations[1].users[0].role}). */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}

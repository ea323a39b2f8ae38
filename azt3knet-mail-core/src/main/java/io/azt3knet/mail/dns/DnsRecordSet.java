package io.azt3knet.mail.dns;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A record set: every record of one type at one name, with one TTL.
 *
 * <p>Records are in their logical form, independent of any provider's wire format: MX as
 * {@code "10 parse.mailjet.com."}, A as {@code "192.0.2.1"}, TXT as the plain text (not quoted, long
 * values not split into 255-byte strings). Record order carries no meaning: {@link #sameRecords} compares
 * them as sets.
 *
 * @param subname the name relative to the domain, {@code ""} for the apex
 * @param type the record type, upper case
 * @param ttl time to live in seconds
 * @param records the records, not empty
 */
public record DnsRecordSet(String subname, String type, int ttl, List<String> records) {

    /** Validates and normalizes (lower-case subname, upper-case type). */
    public DnsRecordSet {
        Objects.requireNonNull(subname, "subname");
        Objects.requireNonNull(type, "type");
        subname = subname.toLowerCase(Locale.ROOT);
        type = type.toUpperCase(Locale.ROOT);
        if (!subname.isEmpty() && !subname.matches("(\\*\\.)?[a-z0-9_-]+(\\.[a-z0-9_-]+)*")) {
            throw new IllegalArgumentException("invalid subname: '" + subname + "'");
        }
        if (!type.matches("[A-Z][A-Z0-9]*")) {
            throw new IllegalArgumentException("invalid record type: '" + type + "'");
        }
        if (ttl < 1) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        records = List.copyOf(records);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a record set needs at least one record (" + subname + " " + type + ")");
        }
    }

    /**
     * @param subname name relative to the domain
     * @param type record type
     * @param ttl TTL in seconds
     * @param records records in logical form
     * @return the record set
     */
    public static DnsRecordSet of(String subname, String type, int ttl, String... records) {
        return new DnsRecordSet(subname, type, ttl, List.of(records));
    }

    /** @return the key that identifies this set within a zone */
    public Key key() {
        return new Key(subname, type);
    }

    /**
     * @param other another record set
     * @return whether both hold the same records, in any order
     */
    public boolean sameRecords(DnsRecordSet other) {
        return Set.copyOf(records).equals(Set.copyOf(other.records));
    }

    /**
     * @param newTtl the TTL
     * @return a copy with that TTL
     */
    public DnsRecordSet withTtl(int newTtl) {
        return new DnsRecordSet(subname, type, newTtl, records);
    }

    /**
     * Identifies a record set within a zone.
     *
     * @param subname the name relative to the domain, {@code ""} for the apex
     * @param type the record type
     */
    public record Key(String subname, String type) {

        /** Normalizes case. */
        public Key {
            subname = subname.toLowerCase(Locale.ROOT);
            type = type.toUpperCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return (subname.isEmpty() ? "@" : subname) + " " + type;
        }
    }
}

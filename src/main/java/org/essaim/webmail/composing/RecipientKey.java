package org.essaim.webmail.composing;

/**
 * A recipient as the browser needs it: the address, the header it goes in, and the public key Java found
 * ({@code armored} and {@code source} null when neither the directory nor WKD has one).
 */
public record RecipientKey(String address, Kind kind, String source, String armored) {
    public enum Kind { TO, CC, BCC }
}

package org.essaim.keys;

/** An account's key was published or replaced (sent once the directory's transaction committed). */
public record KeyPublished(String address) {
}

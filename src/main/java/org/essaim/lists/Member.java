package org.essaim.lists;

import java.time.Instant;
import java.util.Optional;

/**
 * A list member: {@link Role#MEMBER} receives and posts, {@link Role#FOLLOWER} receives and reads the archive only.
 * A member disabled after repeated hard bounces receives nothing until re-enabled.
 */
public record Member(String address, Role role, Instant joinedAt, int hardBounces, Optional<Instant> disabledAt) {

    public enum Role { MEMBER, FOLLOWER }

    public boolean receives() {
        return disabledAt.isEmpty();
    }
}

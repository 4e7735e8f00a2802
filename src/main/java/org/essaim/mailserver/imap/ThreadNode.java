package org.essaim.mailserver.imap;

import java.util.ArrayList;
import java.util.List;

import org.essaim.mailserver.search.ThreadingFields;

/** One place in a thread tree: a message, or a dummy standing for a message that is referenced but absent. */
final class ThreadNode {
    final String id;
    ThreadingFields message;
    ThreadNode parent;
    final List<ThreadNode> children = new ArrayList<>();

    ThreadNode(String id) {
        this.id = id;
    }

    ThreadNode(ThreadingFields message) {
        this.id = null;
        this.message = message;
    }

    boolean dummy() {
        return message == null;
    }

    void addChild(ThreadNode child) {
        child.parent = this;
        children.add(child);
    }

    void removeChild(ThreadNode child) {
        children.remove(child);
        child.parent = null;
    }

    boolean isAncestorOf(ThreadNode node) {
        for (ThreadNode up = node; up != null; up = up.parent) {
            if (up == this) {
                return true;
            }
        }
        return false;
    }
}

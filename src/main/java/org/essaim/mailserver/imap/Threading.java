package org.essaim.mailserver.imap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.essaim.mailserver.search.ThreadingFields;

/**
 * The two RFC 5256 threading algorithms over the outer headers the server sees. The result is a list of thread
 * roots (in thread order), each node's children in sent-date order.
 */
final class Threading {
    private Threading() {
    }

    /** ORDEREDSUBJECT (RFC 5256 section 2.1): one thread per base subject, its first message the parent. */
    static List<ThreadNode> orderedSubject(List<ThreadingFields> messages) {
        List<ThreadingFields> sorted = new ArrayList<>(messages);
        sorted.sort(Comparator.comparing(ThreadingFields::baseSubject).thenComparing(BY_DATE));
        List<ThreadNode> roots = new ArrayList<>();
        ThreadNode root = null;
        for (ThreadingFields message : sorted) {
            ThreadNode node = new ThreadNode(message);
            if (root != null && root.message.baseSubject().equals(message.baseSubject())) {
                root.addChild(node);
            } else {
                root = node;
                roots.add(node);
            }
        }
        roots.sort((a, b) -> BY_DATE.compare(a.message, b.message));
        return roots;
    }

    /** REFERENCES (RFC 5256 section 2.2, after Jamie Zawinski's algorithm). */
    static List<ThreadNode> references(List<ThreadingFields> messages) {
        Map<String, ThreadNode> byId = new HashMap<>();
        int unnamed = 0;
        List<ThreadNode> all = new ArrayList<>();
        for (ThreadingFields message : messages) {
            // 1.A: the message's own container (a duplicate or missing Message-ID gets a unique one)
            String id = message.messageId();
            ThreadNode node = id == null ? null : byId.get(id);
            if (node == null || !node.dummy()) {
                node = new ThreadNode(id == null || byId.containsKey(id) ? "\0" + unnamed++ : id);
                byId.put(node.id, node);
            }
            node.message = message;
            all.add(node);
            // 1.A: link the references in order, never changing an existing link or making a loop
            ThreadNode previous = null;
            for (String reference : message.references()) {
                ThreadNode current = byId.computeIfAbsent(reference, ThreadNode::new);
                if (previous != null && current.parent == null && current != previous && !current.isAncestorOf(previous)) {
                    previous.addChild(current);
                }
                previous = current;
            }
            // 1.B: the last reference is the parent (an earlier parent guess is dropped)
            if (node.parent != null) {
                node.parent.removeChild(node);
            }
            if (previous != null && previous != node && !node.isAncestorOf(previous)) {
                previous.addChild(node);
            }
        }
        // 2: the roots
        List<ThreadNode> roots = new ArrayList<>();
        for (ThreadNode node : byId.values()) {
            if (node.parent == null) {
                roots.add(node);
            }
        }
        // 3: prune dummies
        roots = prune(roots, true);
        // 4: roots by date (a dummy by its first child's, once sorted)
        roots.forEach(Threading::sortChildren);
        roots.sort(BY_NODE_DATE);
        // 5: gather roots with the same base subject
        roots = gatherBySubject(roots);
        // 6: siblings by date everywhere
        roots.forEach(Threading::sortChildren);
        return roots;
    }

    private static List<ThreadNode> prune(List<ThreadNode> nodes, boolean atRoot) {
        List<ThreadNode> kept = new ArrayList<>();
        for (ThreadNode node : nodes) {
            List<ThreadNode> children = prune(new ArrayList<>(node.children), false);
            node.children.clear();
            children.forEach(node::addChild);
            if (!node.dummy()) {
                kept.add(node);
            } else if (node.children.isEmpty()) {
                continue; // a dummy with nothing under it disappears
            } else if (atRoot && node.children.size() > 1) {
                kept.add(node); // a root dummy over several messages stays
            } else {
                for (ThreadNode child : new ArrayList<>(node.children)) {
                    node.removeChild(child);
                    kept.add(child); // promoted to the dummy's level
                }
            }
        }
        return kept;
    }

    private static List<ThreadNode> gatherBySubject(List<ThreadNode> roots) {
        Map<String, ThreadNode> bySubject = new LinkedHashMap<>();
        for (ThreadNode root : roots) {
            String subject = subjectOf(root);
            if (subject.isEmpty()) {
                continue;
            }
            ThreadNode known = bySubject.get(subject);
            if (known == null
                    || (!known.dummy() && root.dummy())
                    || (isReply(known) && !isReply(root))) {
                bySubject.put(subject, root);
            }
        }
        List<ThreadNode> result = new ArrayList<>(roots);
        for (ThreadNode root : roots) {
            String subject = subjectOf(root);
            ThreadNode known = subject.isEmpty() ? null : bySubject.get(subject);
            if (known == null || known == root) {
                continue;
            }
            if (known.dummy() && root.dummy()) {
                for (ThreadNode child : new ArrayList<>(root.children)) {
                    root.removeChild(child);
                    known.addChild(child);
                }
                result.remove(root);
            } else if (known.dummy()) {
                result.remove(root);
                known.addChild(root);
            } else if (isReply(root) && !isReply(known)) {
                result.remove(root);
                known.addChild(root);
            } else {
                ThreadNode joint = new ThreadNode((String) null);
                result.set(result.indexOf(known), joint);
                result.remove(root);
                joint.addChild(known);
                joint.addChild(root);
                bySubject.put(subject, joint);
            }
        }
        return result;
    }

    private static String subjectOf(ThreadNode node) {
        ThreadNode carrier = node.dummy() && !node.children.isEmpty() ? node.children.get(0) : node;
        return carrier.message == null ? "" : carrier.message.baseSubject();
    }

    private static boolean isReply(ThreadNode node) {
        return !node.dummy() && node.message.reply();
    }

    private static void sortChildren(ThreadNode node) {
        node.children.forEach(Threading::sortChildren);
        node.children.sort(BY_NODE_DATE);
    }

    private static Date dateOf(ThreadNode node) {
        if (node.dummy()) {
            return node.children.isEmpty() ? new Date(0) : dateOf(node.children.get(0));
        }
        return node.message.sentDate();
    }

    private static long uidOf(ThreadNode node) {
        if (node.dummy()) {
            return node.children.isEmpty() ? 0 : uidOf(node.children.get(0));
        }
        return node.message.uid().asLong();
    }

    /** Sent date, then sequence order (= UID order) for equal dates. */
    private static final Comparator<ThreadingFields> BY_DATE = Comparator.comparing(ThreadingFields::sentDate)
            .thenComparing(ThreadingFields::uid);
    private static final Comparator<ThreadNode> BY_NODE_DATE = Comparator.comparing(Threading::dateOf)
            .thenComparingLong(Threading::uidOf);
}

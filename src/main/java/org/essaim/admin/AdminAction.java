package org.essaim.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Every action an admin can take, as data: a name and its parameters. Kept as plain values so that the
 * governance log can put each one in a canonical statement, sign it and replay it.
 */
public sealed interface AdminAction {

    /** The action's name in statements and the public log, e.g. {@code account.disable}. */
    String name();

    /** The action's parameters, in a stable order. */
    Map<String, String> parameters();

    record Invite(String address) implements AdminAction {
        public String name() {
            return "account.invite";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    record Disable(String address) implements AdminAction {
        public String name() {
            return "account.disable";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    record Enable(String address) implements AdminAction {
        public String name() {
            return "account.enable";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    record Delete(String address) implements AdminAction {
        public String name() {
            return "account.delete";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    /** An account's own storage limit in bytes; empty: back to the default quota. */
    record SetQuota(String address, OptionalLong limitBytes) implements AdminAction {
        public String name() {
            return "quota.set";
        }

        public Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("address", address);
            parameters.put("limitBytes", limitBytes.isPresent() ? Long.toString(limitBytes.getAsLong()) : "default");
            return parameters;
        }
    }

    record AddAlias(String alias, String address) implements AdminAction {
        public String name() {
            return "alias.add";
        }

        public Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("alias", alias);
            parameters.put("address", address);
            return parameters;
        }
    }

    record RemoveAlias(String alias, String address) implements AdminAction {
        public String name() {
            return "alias.remove";
        }

        public Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("alias", alias);
            parameters.put("address", address);
            return parameters;
        }
    }
}

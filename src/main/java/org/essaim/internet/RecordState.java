package org.essaim.internet;

/** What DNS answers now for an expected record. */
public enum RecordState {
    OK("✔"), MISSING("missing"), DIFFERENT("different");

    private final String label;

    RecordState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

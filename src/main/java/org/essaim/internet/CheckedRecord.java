package org.essaim.internet;

import java.util.List;

/** An expected record, what DNS holds now at that name and type, and the verdict. */
public record CheckedRecord(ExpectedRecord expected, List<String> found, RecordState state) {
}

package edu.dsc650.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;

/** Row-list comparison that reports the first difference instead of printing both lists. */
public final class Rows {
  private Rows() {}

  public static void assertSameRows(
      List<Map<String, Object>> expected, List<Map<String, Object>> actual, String what) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        fail(
            what
                + ": row "
                + i
                + " differs\n expected "
                + expected.get(i)
                + "\n actual   "
                + actual.get(i));
      }
    }
    assertEquals(expected.size(), actual.size(), what + ": row count");
  }
}

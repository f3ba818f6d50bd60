package edu.dsc650.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class LapsTest {
  private static Slice at(String t) {
    return new Slice("locations", "t=" + t, new BigDecimal(t), null, List.of());
  }

  @Test
  void aLapIsTheLastSliceTimePlusTheMedianGap() {
    // gaps 1.5 1.7 1.1 4.0, sorted 1.1 1.5 1.7 4.0: the median (the lower of the middle two) is 1.5
    assertEquals(0, new BigDecimal("9.8").compareTo(Laps.lengthOf(List.of(at("0"), at("1.5"), at("3.2"), at("4.3"),
        at("8.3")))));
    assertEquals(0, new BigDecimal("6").compareTo(Laps.lengthOf(List.of(at("5")))), "one time: a gap of 1 s");
  }

  @Test
  void shiftedFoldersAreNamedAsTheSourceNamesItsOwn() {
    assertEquals("t=130.3", Laps.folder("t=000.0", new BigDecimal("130.3")));
    assertEquals("t=005.5", Laps.folder("t=001.5", new BigDecimal("5.5")));
    assertEquals("t=1303.0", Laps.folder("t=000.0", new BigDecimal("1303.0")));
    assertEquals("t=30.3", Laps.folder("t=3", new BigDecimal("30.3")));
    assertEquals("t=36.80", Laps.folder("t=9.50", new BigDecimal("36.8")));
    assertEquals("t=42", Laps.folder("t=14", new BigDecimal("42")));
  }

  @Test
  void lapCountsBelowZeroAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Laps(-1, BigDecimal.ONE));
  }
}

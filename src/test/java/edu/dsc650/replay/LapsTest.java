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
    assertEquals(
        0,
        new BigDecimal("9.8")
            .compareTo(
                Laps.lengthOf(List.of(at("0"), at("1.5"), at("3.2"), at("4.3"), at("8.3")))));
    assertEquals(
        0,
        new BigDecimal("6").compareTo(Laps.lengthOf(List.of(at("5")))),
        "one time: a gap of 1 s");
  }

  @Test
  void aLapGrowsByWholeGapsUntilItExceedsEveryRowsOffset() {
    List<Slice> slices =
        List.of(at("0"), at("1.5"), at("3.0")); // 3.0 + 1.5 = 4.5 from the times alone
    assertEquals(0, new BigDecimal("4.5").compareTo(Laps.of(2, slices, 0, 4_400_000).length()));
    assertEquals(
        0,
        new BigDecimal("6.0").compareTo(Laps.of(2, slices, 0, 4_500_000).length()),
        "4.5 is not past 4.5");
    assertEquals(0, new BigDecimal("9.0").compareTo(Laps.of(2, slices, 0, 7_700_000).length()));
    // a row before 0 widens the span the lap must exceed
    assertEquals(
        0, new BigDecimal("6.0").compareTo(Laps.of(2, slices, -500_000, 4_200_000).length()));
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

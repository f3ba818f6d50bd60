package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuickStartJitTest {
  private static boolean suits(String override, String... args) {
    return QuickStartJit.suits(args, override);
  }

  @Test
  void shortRunsGetC1OnlyAndLiveQueriesKeepC2() {
    assertTrue(suits(null, "stream-data", "--speedup", "10"));
    assertTrue(suits(null, "-v", "stream-data"));
    assertTrue(suits(null, "report", "--results", "r"));
    assertTrue(suits(null, "run-query", "all", "--trigger", "available-now"));
    assertTrue(suits(null, "run-query", "all", "--trigger=AVAILABLE-NOW"));

    assertFalse(suits(null, "run-query", "all", "--until-replay-complete"));
    assertFalse(suits(null, "run-query", "all", "--trigger", "2s"));
    assertFalse(suits(null, "run-query", "all", "--trigger"));
    assertFalse(suits(null, "--help"));
    assertFalse(suits(null));
  }

  @Test
  void thePropertyOverridesTheChoice() {
    assertTrue(suits("c1", "run-query", "all"));
    assertFalse(suits("C2", "stream-data", "--max-speed"));
  }
}

package edu.dsc650.replay;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * What a replay waits for after it has cleared its folder and before its clock starts: nothing, or
 * a run-query that says its queries are running ({@code --wait-for-queries}, {@link QueriesGate}).
 */
@FunctionalInterface
public interface StartGate {
  StartGate OPEN = stop -> true;

  /**
   * Waits until the replay may start.
   *
   * @return false if {@code stop} said to stop first
   */
  boolean await(BooleanSupplier stop) throws IOException;
}

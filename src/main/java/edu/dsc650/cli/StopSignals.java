package edu.dsc650.cli;

import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into a clean stop instead of an abrupt JVM exit: the command is
 * told which exit code the signal asks for (130, 143). Closing puts the previous handlers back.
 */
final class StopSignals implements AutoCloseable {
  private final SignalHandler previousInt;
  private final SignalHandler previousTerm;

  /**
   * @param onStop called from the signal-handling thread with 130 or 143
   */
  StopSignals(IntConsumer onStop) {
    previousInt = Signal.handle(new Signal("INT"), s -> onStop.accept(130));
    previousTerm = Signal.handle(new Signal("TERM"), s -> onStop.accept(143));
  }

  @Override
  public void close() {
    Signal.handle(new Signal("INT"), previousInt);
    Signal.handle(new Signal("TERM"), previousTerm);
  }
}

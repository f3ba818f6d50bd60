package edu.dsc650.cli;

import picocli.CommandLine;

/** Gives a test the run-query command instance, so that it can stop it as Ctrl-C would. */
public final class RunQueryHandle implements CommandLine.IFactory {
  private final RunQueryCommand command = new RunQueryCommand();

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    if (cls == RunQueryCommand.class) {
      return cls.cast(command);
    }
    return CommandLine.defaultFactory().create(cls);
  }

  public void stop() {
    command.requestStop(130);
  }
}

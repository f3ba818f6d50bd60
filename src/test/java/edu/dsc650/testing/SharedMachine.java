package edu.dsc650.testing;

/**
 * The integration suites share the machine's two cores, and failsafe runs suite classes side by
 * side (pom.xml) as far as this lock lets them. A suite that times live runs against a schedule
 * (kills at random instants, a browser following a live replay, a heap measured) takes the cores
 * alone ({@code READ_WRITE}); KafkaIT and ClusterIT, which wait on a broker, a cluster and HDFS
 * more than they compute (1.2–1.3 of the 2 cores busy when each runs alone), share them with each
 * other ({@code READ}). Their brokers, ports and log folders are their own.
 */
public final class SharedMachine {
  /** The resource every integration suite locks, alone or shared. */
  public static final String CORES = "the machine's cores";

  private SharedMachine() {}
}

package edu.dsc650.query;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local SparkSession for the tests of one class: {@code @RegisterExtension static final
 * LocalSpark spark = new LocalSpark();}, then {@code spark.session()}. Started before the class's
 * first test, stopped after its last.
 */
public final class LocalSpark implements BeforeAllCallback, AfterAllCallback {
  private SparkSession session;

  @Override
  public void beforeAll(ExtensionContext context) {
    session = QueryOutputs.batchSession();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    QueryOutputs.release(session);
  }

  public SparkSession session() {
    return session;
  }
}

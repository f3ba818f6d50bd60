package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WithoutNoDataBatchesTest {
  @RegisterExtension static final LocalSpark SPARK = new LocalSpark();

  @Test
  void theQuerysOwnSessionRunsNoBatchWithoutDataAndTheRunsIsUnchanged() {
    SparkSession run = SPARK.session().newSession();
    WithoutNoDataBatches without = new WithoutNoDataBatches();

    SparkSession own = without.of(run);

    assertNotSame(run, own);
    assertSame(own, without.of(run), "made once per SparkContext");
    assertEquals("false", own.conf().get(WithoutNoDataBatches.SETTING));
    assertEquals("true", run.conf().get(WithoutNoDataBatches.SETTING));
    assertFalse(run.conf().contains(WithoutNoDataBatches.SETTING));
  }

  @Test
  void aSettingGivenWithConfWins() {
    SparkSession run = SPARK.session().newSession();
    run.conf().set(WithoutNoDataBatches.SETTING, "true"); // as --conf would

    assertEquals(
        "true", new WithoutNoDataBatches().of(run).conf().get(WithoutNoDataBatches.SETTING));
  }
}

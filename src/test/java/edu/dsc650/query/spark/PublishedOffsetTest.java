package edu.dsc650.query.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.execution.streaming.SerializedOffset;
import org.junit.jupiter.api.Test;

class PublishedOffsetTest {
  @Test
  void anOffsetSurvivesTheCheckpointAsJson() {
    PublishedOffset offset = new PublishedOffset("20261204T090000Z-1a2b", "locations", 41);
    assertEquals(
        "{\"run\":\"20261204T090000Z-1a2b\",\"topic\":\"locations\",\"batch\":41}", offset.json());
    PublishedOffset back = PublishedOffset.of(new SerializedOffset(offset.json()));
    assertEquals("20261204T090000Z-1a2b", back.run());
    assertEquals(41, back.batch());
  }

  /** A checkpoint of Spark's file source (an earlier version of run-query): told to start over. */
  @Test
  void anOffsetOfSparksFileSourceIsRefusedWithTheWayOut() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> PublishedOffset.of(new SerializedOffset("{\"logOffset\":5}")));
    assertTrue(e.getMessage().contains("--fresh"), e.getMessage());
  }
}

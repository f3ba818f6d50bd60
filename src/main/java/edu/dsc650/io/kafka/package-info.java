/**
 * Kafka as the command line names it ({@code kafka://HOST:PORT,...}), its admin work (reach, recreate
 * topics, end offsets) and a published parquet file's rows as JSON records.
 */
package edu.dsc650.io.kafka;

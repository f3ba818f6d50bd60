/**
 * Kafka as the command line names it ({@code kafka://HOST:PORT,...}) and its admin work: reach a
 * cluster, recreate topics, read end offsets.
 */
package edu.dsc650.io.kafka;

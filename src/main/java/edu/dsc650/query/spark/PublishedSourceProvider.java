package edu.dsc650.query.spark;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.execution.streaming.Source;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.StreamSourceProvider;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.Tuple2;
import scala.collection.immutable.Map;

/**
 * Makes {@link PublishedSource}s: {@code
 * spark.readStream().format(PublishedSourceProvider.class.getName()) .schema(s).option("format",
 * fileFormat).load("<results>/input/<topic>")}.
 */
public final class PublishedSourceProvider implements StreamSourceProvider, DataSourceRegister {
  @Override
  public String shortName() {
    return "dsc650-published";
  }

  @Override
  public Tuple2<String, StructType> sourceSchema(
      SQLContext sqlContext,
      Option<StructType> schema,
      String providerName,
      Map<String, String> parameters) {
    if (schema.isEmpty()) {
      throw new IllegalArgumentException(shortName() + " needs a schema");
    }
    return new Tuple2<>(shortName(), schema.get());
  }

  @Override
  public Source createSource(
      SQLContext sqlContext,
      String metadataPath,
      Option<StructType> schema,
      String providerName,
      Map<String, String> parameters) {
    return new PublishedSource(
        sqlContext.sparkSession(),
        new Path(parameters.get("path").get()),
        schema.get(),
        parameters.get("format").get());
  }
}

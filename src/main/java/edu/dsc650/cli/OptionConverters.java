package edu.dsc650.cli;

import edu.dsc650.query.QueryTrigger;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for run-query's typed options: a bad value is a usage error (exit 2). */
final class OptionConverters {
  private static final Pattern INTERVAL =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|milliseconds?|s|sec|seconds?|m|min|minutes?)");

  private OptionConverters() {}

  /** "500ms", "2s", "1 second", "1.5 minutes": a positive or zero duration. */
  static Duration interval(String text) {
    Matcher m = INTERVAL.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2);
    double millis =
        unit.equals("ms") || unit.startsWith("milli")
            ? value
            : unit.startsWith("s") ? value * 1000 : value * 60_000;
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  /**
   * A folder option's value, checked to be a Hadoop path: a ':' in a name reads as a URI scheme
   * there (and nowhere in Spark could such a path be read), so it is refused before anything is
   * touched.
   */
  static String location(String option, String value) {
    String path;
    try {
      path = new org.apache.hadoop.fs.Path(value).toUri().getPath();
    } catch (IllegalArgumentException e) {
      path = ":";
    }
    if (path == null || path.indexOf(':') >= 0) { // a host:port is fine, a name with ':' is not
      throw new edu.dsc650.BadUsageException(
          option
              + " "
              + value
              + ": a file or folder name with ':' cannot be "
              + "a Hadoop path (Spark could not read it); choose another name");
    }
    return value;
  }

  /** {@code --join-window}: an interval greater than zero. */
  static final class JoinWindow implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = interval(value);
      if (d == null || d.isZero()) {
        throw new TypeConversionException(
            "--join-window must be an interval such as '1 second', '500ms' or '2s', not '"
                + value
                + "'");
      }
      return d;
    }
  }

  /** {@code --watermark}: an interval of zero or more, as Spark reads it ("30000 milliseconds"). */
  static class Watermark implements ITypeConverter<String> {
    String option() {
      return "--watermark";
    }

    @Override
    public String convert(String value) {
      Duration d = interval(value);
      if (d == null) {
        throw new TypeConversionException(
            option()
                + " must be an interval such as '30 seconds', '10s' or '500ms', not '"
                + value
                + "'");
      }
      return d.toMillis() + " milliseconds";
    }
  }

  /** {@code --join-watermark}: as {@code --watermark}. */
  static final class JoinWatermark extends Watermark {
    @Override
    String option() {
      return "--join-watermark";
    }
  }

  /** {@code --retain}: an interval of at least a second. */
  static final class Retention implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = interval(value);
      if (d == null || d.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new TypeConversionException(
            "--retain must be an interval of at least a second such as '10 minutes' "
                + "or '90s', not '"
                + value
                + "'");
      }
      return d;
    }
  }

  /** {@code --trigger}: 0, an interval, or available-now. */
  static final class Trigger implements ITypeConverter<QueryTrigger> {
    @Override
    public QueryTrigger convert(String value) {
      if (value.equals("available-now")) {
        return QueryTrigger.AVAILABLE_NOW;
      }
      Duration d = value.equals("0") ? Duration.ZERO : interval(value);
      if (d == null) {
        throw new TypeConversionException(
            "--trigger must be 0, an interval such as 2s or 500ms, or available-now; not '"
                + value
                + "'");
      }
      return QueryTrigger.every(d);
    }
  }
}

package edu.dsc650.parquet;

import edu.dsc650.io.HadoopConf;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The page codecs, one compressor and one decompressor per codec: parquet-mr's {@link CodecFactory}
 * makes a new one on every call. GZIP, the bundled data's codec, is done here with one reused
 * {@link Inflater} and {@link Deflater}: Hadoop's gzip streams allocate 64 KB buffers per page,
 * which at {@code --scale} was a fifth of all the memory a replay allocated. Not thread-safe: one
 * instance per thread.
 */
public final class Codecs {
  private final Gzip gzip = new Gzip();
  // The page size only sizes the codecs' first buffers; they grow for bigger pages.
  private final CodecFactory factory = new CodecFactory(HadoopConf.shared(), 64 * 1024);
  private final Map<CompressionCodecName, BytesInputDecompressor> decompressors =
      new EnumMap<>(CompressionCodecName.class);
  private final Map<CompressionCodecName, BytesInputCompressor> compressors =
      new EnumMap<>(CompressionCodecName.class);

  /**
   * The decompressed bytes of {@code length} bytes at {@code offset} (a copy when not compressed).
   */
  public byte[] decompress(
      CompressionCodecName codec, byte[] file, int offset, int length, int uncompressedSize)
      throws IOException {
    if (codec == CompressionCodecName.UNCOMPRESSED) {
      return slice(file, offset, length);
    }
    if (codec == CompressionCodecName.GZIP) {
      return gzip.decompress(file, offset, length, uncompressedSize);
    }
    BytesInputDecompressor d = decompressors.computeIfAbsent(codec, factory::getDecompressor);
    return d.decompress(BytesInput.from(file, offset, length), uncompressedSize).toByteArray();
  }

  /** The bytes compressed with {@code codec} (themselves when uncompressed). */
  public byte[] compress(CompressionCodecName codec, byte[] raw) throws IOException {
    if (codec == CompressionCodecName.UNCOMPRESSED) {
      return raw;
    }
    if (codec == CompressionCodecName.GZIP) {
      return gzip.compress(raw);
    }
    return compressors
        .computeIfAbsent(codec, factory::getCompressor)
        .compress(BytesInput.from(raw))
        .toByteArray();
  }

  public static byte[] slice(byte[] file, int offset, int length) {
    byte[] out = new byte[length];
    System.arraycopy(file, offset, out, 0, length);
    return out;
  }
}

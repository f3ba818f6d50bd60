package edu.dsc650.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same files, folders and permissions as Hadoop's own local file system makes. */
class NioLocalFileSystemTest {
  @TempDir java.nio.file.Path dir;

  private static FileSystem open(FileSystem fs) throws IOException {
    fs.initialize(java.net.URI.create("file:///"), new Configuration());
    return fs;
  }

  private void make(FileSystem fs, String under) throws IOException {
    Path root = new Path(dir.resolve(under).toUri());
    fs.mkdirs(new Path(root, "a/b"));
    try (FSDataOutputStream out = fs.create(new Path(root, "a/b/part-0.parquet"), true)) {
      out.write(new byte[] {1, 2, 3});
    }
    fs.mkdirs(new Path(root, "private"), new FsPermission((short) 0700));
    fs.setPermission(new Path(root, "a/b/part-0.parquet"), new FsPermission((short) 0640));
  }

  private String describe(String under) throws IOException {
    StringBuilder b = new StringBuilder();
    try (var all = Files.walk(dir.resolve(under))) {
      for (java.nio.file.Path p : all.sorted().toList()) {
        b.append(dir.resolve(under).relativize(p))
            .append(' ')
            .append(
                java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(p)))
            .append('\n');
      }
    }
    return b.toString();
  }

  @Test
  void makesWhatHadoopsLocalFileSystemMakes() throws IOException {
    make(open(new LocalFileSystem()), "hadoop");
    make(open(new NioLocalFileSystem()), "nio");
    String hadoop = describe("hadoop");
    assertTrue(hadoop.contains(".part-0.parquet.crc"), hadoop); // checksums as before
    assertTrue(hadoop.contains("private rwx------"), hadoop);
    assertEquals(hadoop, describe("nio"));
  }

  @Test
  void sparksSettingPicksIt() throws IOException {
    Configuration conf = new Configuration();
    conf.set(NioLocalFileSystem.SETTING, NioLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true); // not the process's cached instance
    assertEquals(NioLocalFileSystem.class, FileSystem.getLocal(conf).getClass());
  }
}

package io.timbre.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NioLocalFileSystem} must leave exactly the modes Hadoop's own local file system (a forked chmod) leaves, for
 * files created, directories made and permissions set, including what it hands back to Hadoop (the sticky bit).
 */
class NioLocalFileSystemTest {
  private static Configuration conf;

  @BeforeAll
  static void conf() {
    conf = new Configuration();
    conf.set("fs.file.impl", NioLocalFileSystem.class.getName());
  }

  private static int mode(Path p) throws Exception {
    return ((Integer) Files.getAttribute(p, "unix:mode")) & 07777;
  }

  private static org.apache.hadoop.fs.Path hpath(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  @Test
  void isTheLocalFileSystemHadoopHandsOutForFileUris() throws Exception {
    try (FileSystem fs = FileSystem.newInstance(URI.create("file:///"), conf)) {
      assertThat(fs).isInstanceOf(NioLocalFileSystem.class);
    }
    // getLocal casts to LocalFileSystem: the replacement must be one.
    assertThat(FileSystem.getLocal(conf)).isInstanceOf(org.apache.hadoop.fs.LocalFileSystem.class);
  }

  @Test
  void createdFilesAndMadeDirectoriesGetTheModesHadoopGivesThem(@TempDir Path tmp) throws Exception {
    Configuration hadoopOwn = new Configuration();
    try (FileSystem ours = FileSystem.newInstance(URI.create("file:///"), conf);
        FileSystem theirs = FileSystem.newInstance(URI.create("file:///"), hadoopOwn)) {
      assertThat(theirs).isNotInstanceOf(NioLocalFileSystem.class);
      for (FileSystem fs : new FileSystem[] {ours, theirs}) {
        Path root = tmp.resolve(fs.getClass().getSimpleName());
        assertThat(fs.mkdirs(hpath(root.resolve("a/b/c")))).isTrue();
        assertThat(fs.mkdirs(hpath(root.resolve("private")), new FsPermission((short) 0750))).isTrue();
        try (OutputStream out = fs.create(hpath(root.resolve("a/b/c/part-0.parquet")))) {
          out.write(new byte[] {1, 2, 3});
        }
      }
      Path a = tmp.resolve(ours.getClass().getSimpleName());
      Path b = tmp.resolve(theirs.getClass().getSimpleName());
      for (String rel : new String[] {"a", "a/b", "a/b/c", "private", "a/b/c/part-0.parquet",
          "a/b/c/.part-0.parquet.crc"}) {
        assertThat(mode(a.resolve(rel))).as(rel).isEqualTo(mode(b.resolve(rel)));
      }
      assertThat(mode(a.resolve("private"))).isEqualTo(0750);
      assertThat(Files.readAllBytes(a.resolve("a/b/c/part-0.parquet"))).containsExactly(1, 2, 3);
    }
  }

  @Test
  void setPermissionMatchesChmodForEveryCombinationOfBits(@TempDir Path tmp) throws Exception {
    NioLocalFileSystem.Raw ours = new NioLocalFileSystem.Raw();
    RawLocalFileSystem theirs = new RawLocalFileSystem();
    ours.initialize(URI.create("file:///"), new Configuration());
    theirs.initialize(URI.create("file:///"), new Configuration());
    Path x = Files.createFile(tmp.resolve("x"));
    Path y = Files.createFile(tmp.resolve("y"));
    // Each of the nine bits alone, and mixtures, including the modes Hadoop itself uses (644, 755, 700, 777).
    int[] modes = {0, 0400, 0200, 0100, 040, 020, 010, 04, 02, 01, 0644, 0755, 0700, 0777, 0640, 0751, 0123, 0666};
    for (int m : modes) {
      FsPermission p = new FsPermission((short) m);
      ours.setPermission(hpath(x), p);
      theirs.setPermission(hpath(y), p);
      assertThat(mode(x)).as("%o", m).isEqualTo(mode(y)).isEqualTo(m);
    }
  }

  @Test
  void theStickyBitGoesToHadoopsOwnCode(@TempDir Path tmp) throws Exception {
    NioLocalFileSystem.Raw fs = new NioLocalFileSystem.Raw();
    fs.initialize(URI.create("file:///"), new Configuration());
    Path dir = Files.createDirectory(tmp.resolve("shared"));
    fs.setPermission(hpath(dir), new FsPermission((short) 01777));
    assertThat(mode(dir)).isEqualTo(01777);
  }

  @Test
  void aMissingFileIsATypedErrorNamingIt(@TempDir Path tmp) throws Exception {
    NioLocalFileSystem.Raw fs = new NioLocalFileSystem.Raw();
    fs.initialize(URI.create("file:///"), new Configuration());
    assertThatThrownBy(() -> fs.setPermission(hpath(tmp.resolve("gone")), new FsPermission((short) 0644)))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("gone");
  }
}

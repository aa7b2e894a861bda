package io.timbre.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A single-machine Hadoop cluster on loopback, as Hadoop's own tests run it ({@code hadoop-client-minicluster}):
 * HDFS (a name node and a data node) and YARN (a resource manager and one node manager that launches every
 * container as a process of its own). Its client configuration is written to a folder for {@code HADOOP_CONF_DIR},
 * so {@code spark-submit --master yarn} finds it as it finds a real cluster's.
 */
final class MiniYarnHdfs implements AutoCloseable {
  private final MiniDFSCluster hdfs;
  private final MiniYARNCluster yarn;
  private final Path confDir;

  private MiniYarnHdfs(MiniDFSCluster hdfs, MiniYARNCluster yarn, Path confDir) {
    this.hdfs = hdfs;
    this.yarn = yarn;
    this.confDir = confDir;
  }

  /**
   * @param containerMemoryMb memory the node manager offers to containers (the driver's and the executors')
   */
  static MiniYarnHdfs start(Path dir, int containerMemoryMb) throws IOException, InterruptedException {
    Configuration conf = new YarnConfiguration();
    conf.set("hadoop.tmp.dir", dir.resolve("hadoop-tmp").toString());
    conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
    conf.set(YarnConfiguration.NM_ADDRESS, "127.0.0.1:0");
    conf.set("yarn.nodemanager.hostname", "127.0.0.1");
    // MiniYARNCluster gives its node managers this key's value (default 4 GB), not yarn.nodemanager.resource.*.
    conf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, containerMemoryMb);
    conf.setInt(YarnConfiguration.NM_VCORES, 8);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, containerMemoryMb);
    // ND4J's off-heap memory and JavaCPP's mapped natives are not what a test should be killed for.
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    // The capacity scheduler with one queue, as a fresh Hadoop installation's capacity-scheduler.xml has it; the
    // driver of cluster deploy mode is the application master, so it may take half the cluster, not a tenth.
    conf.set("yarn.scheduler.capacity.root.queues", "default");
    conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
    conf.set("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
    conf.set("yarn.scheduler.capacity.root.default.user-limit-factor", "1");
    conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
    conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
    conf.set("yarn.scheduler.capacity.maximum-am-resource-percent", "0.5");
    conf.set("yarn.scheduler.capacity.node-locality-delay", "-1");
    // A nearly full build disk must not turn the only node manager unhealthy.
    conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
    MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf, dir.resolve("hdfs").toFile()).numDataNodes(1).build();
    hdfs.waitActive();
    conf.set("fs.defaultFS", hdfs.getURI().toString());
    MiniYARNCluster yarn = new MiniYARNCluster("timbre", 1, 1, 1);
    try {
      yarn.init(conf);
      yarn.start();
      long end = System.nanoTime() + 60_000_000_000L;
      while (yarn.getResourceManager().getRMContext().getRMNodes().isEmpty()) {
        SparkHome.check(System.nanoTime() < end, "No YARN node manager registered in 60 s");
        Thread.sleep(100);
      }
    } catch (RuntimeException | InterruptedException e) {
      yarn.stop();
      hdfs.shutdown();
      throw e;
    }
    Path confDir = Files.createDirectories(dir.resolve("hadoop-conf"));
    Configuration client = new Configuration(false);
    for (Map.Entry<String, String> e : yarn.getConfig()) {
      client.set(e.getKey(), e.getValue());
    }
    client.set("fs.defaultFS", hdfs.getURI().toString());
    // MiniDFSCluster's rack mapping is a class from Hadoop's tests, which no Spark installation has.
    client.unset("net.topology.node.switch.mapping.impl");
    for (String file : new String[] {"core-site.xml", "yarn-site.xml", "hdfs-site.xml"}) {
      try (OutputStream out = Files.newOutputStream(confDir.resolve(file))) {
        client.writeXml(out);
      }
    }
    return new MiniYarnHdfs(hdfs, yarn, confDir);
  }

  /** The folder to point {@code HADOOP_CONF_DIR} at. */
  Path confDir() {
    return confDir;
  }

  /** {@code hdfs://127.0.0.1:<port>} */
  String hdfsUri() {
    return hdfs.getURI().toString();
  }

  org.apache.hadoop.fs.FileSystem fileSystem() throws IOException {
    return hdfs.getFileSystem();
  }

  @Override
  public void close() {
    yarn.stop();
    hdfs.shutdown();
  }
}

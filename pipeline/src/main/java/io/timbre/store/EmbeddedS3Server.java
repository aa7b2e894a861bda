package io.timbre.store;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3-API server (S3Proxy over jclouds' in-memory "transient" store) on 127.0.0.1 and a random port, with
 * signature V2/V4 authentication: the tests and {@code timbre demo --s3} talk to it through Hadoop's S3A client over
 * HTTP, exactly as production talks to S3. The transient store is used because jclouds' filesystem store makes S3A's
 * directory-marker deletes hang; its contents live as long as the server. Credentials are random per server and
 * never logged; nothing listens beyond loopback.
 *
 * <p>S3Proxy is a {@code provided} dependency: on the local classpath ({@code ./timbre}, tests), not in the
 * {@code spark-submit} jar, where {@link #available()} is false.
 */
public final class EmbeddedS3Server implements AutoCloseable {
  private volatile S3Proxy proxy;
  private final BlobStore store;
  private final String access;
  private final String secret;
  private final int port;

  private EmbeddedS3Server(S3Proxy proxy, BlobStore store, String access, String secret) {
    this.proxy = proxy;
    this.store = store;
    this.access = access;
    this.secret = secret;
    this.port = proxy.getPort();
  }

  /** Whether S3Proxy is on the classpath (it is not in the shaded cluster jar). */
  public static boolean available() {
    try {
      Class.forName("org.gaul.s3proxy.S3Proxy", false, EmbeddedS3Server.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Starts a server on 127.0.0.1 (a free port) with the given buckets. */
  public static EmbeddedS3Server start(String... buckets) throws Exception {
    java.security.SecureRandom random = new java.security.SecureRandom();
    String access = "local-" + java.util.HexFormat.of().formatHex(random.generateSeed(8));
    String secret = java.util.HexFormat.of().formatHex(random.generateSeed(20));
    Properties props = new Properties();
    BlobStoreContext ctx = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
        .overrides(props).build(BlobStoreContext.class);
    BlobStore store = ctx.getBlobStore();
    S3Proxy proxy = listen(store, 0, access, secret);
    for (String b : buckets) {
      store.createContainerInLocation(null, b);
    }
    return new EmbeddedS3Server(proxy, store, access, secret);
  }

  private static S3Proxy listen(BlobStore store, int port, String access, String secret) throws Exception {
    S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, access, secret).build();
    proxy.start();
    long deadline = System.currentTimeMillis() + 30_000;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(20);
    }
    return proxy;
  }

  /**
   * Stops answering, as an S3 endpoint that went away: connections are refused until {@link #restartEndpoint()}.
   * What the store holds stays.
   */
  public synchronized void stopEndpoint() throws Exception {
    proxy.stop();
  }

  /** Answers again on the same port, with the same credentials and contents. */
  public synchronized void restartEndpoint() throws Exception {
    proxy = listen(store, port, access, secret);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The S3A settings a client needs for this server (path-style, plain HTTP, these credentials). */
  public Map<String, String> hadoopSettings() {
    return Map.of(
        "fs.s3a.endpoint", endpoint(),
        "fs.s3a.path.style.access", "true",
        "fs.s3a.connection.ssl.enabled", "false",
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        "fs.s3a.access.key", access,
        "fs.s3a.secret.key", secret,
        "fs.s3a.attempts.maximum", "3",
        "fs.s3a.retry.limit", "3",
        // Every server has a new port: a cached S3AFileSystem of an earlier server (same bucket, same user) would
        // still point at the old, closed one.
        "fs.s3a.impl.disable.cache", "true");
  }

  public Configuration hadoopConfiguration() {
    Configuration c = new Configuration();
    hadoopSettings().forEach(c::set);
    return c;
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    store.getContext().close();
  }
}
